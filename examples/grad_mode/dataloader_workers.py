import torch
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)


class GradModeSeen(Dataset):
    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> bool:
        return torch.is_grad_enabled()  # the mode the worker process runs in


def loader() -> DataLoader:
    return DataLoader(
        GradModeSeen(),
        num_workers=1,
        multiprocessing_context="fork",  # the worker is a copy of this thread
        collate_fn=lambda items: items,
    )


with torch.no_grad():
    batches = iter(loader())  # the worker process starts here...
seen_when_started_in_no_grad = [b for batch in batches for b in batch]

batches = iter(loader())  # ...so no_grad around the loop alone does not reach it
with torch.no_grad():
    seen_when_started_outside = [b for batch in batches for b in batch]

print("worker started inside no_grad:", seen_when_started_in_no_grad)
#> worker started inside no_grad: [False, False]
print("worker started outside, loop in no_grad:", seen_when_started_outside)
#> worker started outside, loop in no_grad: [True, True]
assert seen_when_started_in_no_grad == [False, False]
assert seen_when_started_outside == [True, True]

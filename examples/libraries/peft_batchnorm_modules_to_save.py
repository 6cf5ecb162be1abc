import tempfile

import torch
from _bn_lora import Net, bn_state, train_lora
from peft import PeftModel
from safetensors.torch import load_file

model = train_lora(modules_to_save=["bn"])  # bn: a trainable copy, saved with LoRA
wrapper = model.base_model.model.bn
flags = {name: p.requires_grad for name, p in wrapper.named_parameters()}
for name, flag in flags.items():
    print(f"{name:35} requires_grad={flag}")
    #> original_module.weight              requires_grad=False
    #> original_module.bias                requires_grad=False
    #> modules_to_save.default.weight      requires_grad=True
    #> modules_to_save.default.bias        requires_grad=True
# The copy runs and trains (weight and bias too); the original stays as it was.
torch.manual_seed(0)
fresh = Net().bn.state_dict()  # bn as Net() makes it (the seed of train_lora)
copy = wrapper.modules_to_save.default.state_dict()
original = wrapper.original_module.state_dict()
changed = [name for name in fresh if not torch.equal(copy[name], fresh[name])]
print("changed in the copy:", changed)
"""
changed in the copy: ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
"""
assert changed == list(fresh)  # weight, bias, running statistics, num_batches_tracked
assert all(torch.equal(original[name], fresh[name]) for name in fresh)
trained = bn_state(model)

with tempfile.TemporaryDirectory() as folder:
    model.save_pretrained(folder)
    saved = load_file(f"{folder}/adapter_model.safetensors")
    torch.manual_seed(0)
    loaded = PeftModel.from_pretrained(Net(), folder)
saved_bn = sorted(
    name.removeprefix("base_model.model.") for name in saved if ".bn." in name
)
print("saved BatchNorm entries:", saved_bn)
"""
saved BatchNorm entries: ['bn.bias', 'bn.num_batches_tracked', 'bn.running_mean', 'bn.running_var', 'bn.weight']
"""

reloaded = bn_state(loaded)
assert reloaded.keys() == trained.keys()
same_state = all(torch.equal(trained[name], reloaded[name]) for name in trained)
model.eval()
loaded.eval()
x = torch.randn(5, 4)
with torch.no_grad():
    same = torch.allclose(model(x), loaded(x))
assert same_state and same
print("same BatchNorm state:", same_state, "| same outputs in evaluation mode:", same)
#> same BatchNorm state: True | same outputs in evaluation mode: True

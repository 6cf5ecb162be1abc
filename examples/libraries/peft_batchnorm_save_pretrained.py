import tempfile

import torch
from _bn_lora import Net, bn_state, train_lora
from peft import PeftModel
from safetensors.torch import load_file

torch.manual_seed(0)
initial = Net().bn.state_dict()  # the base model as saved (same seed as train_lora)
model = train_lora()  # LoRA on fc1 and fc2; bn is part of the frozen base
bn = model.base_model.model.bn
assert not bn.weight.requires_grad and not bn.bias.requires_grad  # frozen ...
moved = not torch.equal(bn.running_mean, initial["running_mean"])
assert moved and bn.num_batches_tracked == 3  # ... but its statistics moved
print("bn frozen:", not bn.weight.requires_grad, "| running_mean moved:", moved)
#> bn frozen: True | running_mean moved: True
trained = bn_state(model)

with tempfile.TemporaryDirectory() as folder:
    model.save_pretrained(folder)
    saved = sorted(load_file(f"{folder}/adapter_model.safetensors"))
    torch.manual_seed(0)
    loaded = PeftModel.from_pretrained(Net(), folder)  # the base model, as it was
print("saved:", [name.removeprefix("base_model.model.") for name in saved])
"""
saved: ['fc1.lora_A.weight', 'fc1.lora_B.weight', 'fc2.lora_A.weight', 'fc2.lora_B.weight']
"""
assert all("lora_" in name for name in saved)  # only the adapter

# The adapter's own tensors: with bias="all", the biases too (bn.bias among them),
# but still no BatchNorm buffer.
with tempfile.TemporaryDirectory() as folder:
    train_lora(bias="all").save_pretrained(folder)
    with_biases = sorted(load_file(f"{folder}/adapter_model.safetensors"))
biases = [n.removeprefix("base_model.model.") for n in with_biases if "lora_" not in n]
print('bias="all" also saves:', biases)
#> bias="all" also saves: ['bn.bias', 'fc1.base_layer.bias', 'fc2.base_layer.bias']
assert biases == ["bn.bias", "fc1.base_layer.bias", "fc2.base_layer.bias"]

reloaded = bn_state(loaded)
lost = [name for name in trained if not torch.equal(trained[name], reloaded[name])]
print("differ after reloading:", lost)
"""
differ after reloading: ['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']
"""
assert lost == ["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"]
assert all(torch.equal(reloaded[k], initial[k.removeprefix("bn.")]) for k in reloaded)

model.eval()
loaded.eval()
x = torch.randn(5, 4)
with torch.no_grad():
    same = torch.allclose(model(x), loaded(x))
assert not same  # in evaluation mode BatchNorm uses the (old) statistics
print("same outputs in evaluation mode:", same)
#> same outputs in evaluation mode: False

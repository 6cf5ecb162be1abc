import torch
import torch.autograd.forward_ad as fwAD
from torch.func import jvp

torch.manual_seed(0)

primal, tangent = torch.tensor([1.0, 2.0]), torch.ones(2)


def square_tangent():
    """d(x*x) along the tangent by forward-mode AD, or None if it was not tracked."""
    with fwAD.dual_level():
        dual = fwAD.make_dual(primal, tangent)
        result = fwAD.unpack_dual(dual * dual).tangent
        return None if result is None else result.tolist()


print("grad mode:", square_tangent())
#> grad mode: [2.0, 4.0]
with torch.no_grad():
    print("no_grad:", square_tangent())
    #> no_grad: [2.0, 4.0]
    assert square_tangent() == [2.0, 4.0]  # no_grad leaves forward-mode AD on
    assert jvp(lambda t: t * t, (primal,), (tangent,))[1].tolist() == [2.0, 4.0]
with torch.inference_mode():
    print("inference_mode:", square_tangent())
    #> inference_mode: None
    assert square_tangent() is None  # inference_mode turns it off
    _, jvp_out = jvp(lambda t: t * t, (primal,), (tangent,))
    print("inference_mode, torch.func.jvp:", jvp_out.tolist())
    #> inference_mode, torch.func.jvp: [2.0, 4.0]
    assert jvp_out.tolist() == [2.0, 4.0]  # jvp switches forward-mode AD on itself

"""Read optcloud's runs and sweeps into pandas, NumPy and ArviZ; record gradient noise for it.

    import optcloud
    run = optcloud.load_run("output/quickstart")        # summary.json, CSVs, samples
    sweep = optcloud.load_sweep("output/sgd-lr")        # sweep.csv, collapse.csv, points
    idata = optcloud.to_inference_data(run, "sgd")      # needs `samples: all` and ArviZ
    optcloud.record_gradient_noise(grad_fn, params, batches, full_grad_fn, path="noise.npy")
"""

from .inference import to_inference_data
from .noise import record_gradient_noise, write_noise
from .run import Run, Samples, load_run
from .sweep import Sweep, load_sweep

__version__ = "0.2.0"

__all__ = ["Run", "Samples", "Sweep", "load_run", "load_sweep", "record_gradient_noise", "to_inference_data",
           "write_noise", "__version__"]

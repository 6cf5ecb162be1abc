"""A small detector and a batch for the examples of detection.md; nothing is downloaded."""

import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn


def small_detector():
    """Faster R-CNN with a MobileNetV3 backbone, untrained: weights=None and
    weights_backbone=None download nothing. Three classes: background and two."""
    return fasterrcnn_mobilenet_v3_large_320_fpn(
        weights=None, weights_backbone=None, num_classes=3
    )


def batch():
    """Two 160x160 images and, for each, its boxes (x1, y1, x2, y2) and labels."""
    images = [torch.rand(3, 160, 160) for _ in range(2)]
    targets = [
        {"boxes": torch.tensor([[10.0, 20.0, 90.0, 120.0]]), "labels": torch.tensor([1])},
        {
            "boxes": torch.tensor([[30.0, 30.0, 150.0, 100.0], [5.0, 5.0, 50.0, 60.0]]),
            "labels": torch.tensor([2, 1]),
        },
    ]
    return images, targets

"""An independent PyTorch implementation of the nine TF-CRNN variants, written from docs/reference-implementation.md ("Blocks", "Models").

Used only to cross-check the C# models (parity) and as the PyTorch side of the benchmark; the product and its
tests never run Python. State-dict keys equal the reference code's (docs/reference-implementation.md, "Models").
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

VARIANTS = [f"{family}-{block}" for family in ("cnn", "crnn", "tfcrnn") for block in ("basic", "se", "resse")]


class Excitation(nn.Module):
    """sigmoid(linear1(relu(linear0(v)))): (batch, inputs) -> (batch, channels)."""

    def __init__(self, inputs, channels, reduction=8):
        super().__init__()
        bottleneck = max(1, channels // reduction)
        self.linear0 = nn.Linear(inputs, bottleneck)
        self.linear1 = nn.Linear(bottleneck, channels)

    def forward(self, v):
        return torch.sigmoid(self.linear1(F.relu(self.linear0(v))))


class Basic(nn.Module):
    """maxpool3(relu(bn(conv3(x))))."""

    def __init__(self, cin, c):
        super().__init__()
        self.conv = nn.Conv1d(cin, c, 3, padding=1)
        self.norm = nn.BatchNorm1d(c)

    def forward(self, x, h=None):
        return F.max_pool1d(F.relu(self.norm(self.conv(x))), 3), None


class ResidualBranch(nn.Module):
    def __init__(self, cin, c, dropout):
        super().__init__()
        self.conv0 = nn.Conv1d(cin, c, 3, padding=1)
        self.norm0 = nn.BatchNorm1d(c)
        self.dropout = nn.Dropout(dropout)
        self.conv1 = nn.Conv1d(c, c, 3, padding=1)
        self.norm1 = nn.BatchNorm1d(c)

    def forward(self, x):
        return self.norm1(self.conv1(self.dropout(F.relu(self.norm0(self.conv0(x))))))


class Projection(nn.Module):
    def __init__(self, cin, c):
        super().__init__()
        self.conv = nn.Conv1d(cin, c, 1)
        self.norm = nn.BatchNorm1d(c)

    def forward(self, x):
        return self.norm(self.conv(x))


class Excited(nn.Module):
    """A trunk (Basic as base_block, or the Res trunk as residual/identity) followed by an excitation.

    source: 'squeeze' (SE: mean over time), 'hidden' (TF-Basic: h(t-1)), 'both' (TF-SE: concat(mean, h(t-1))).
    """

    def __init__(self, cin, c, residual, source, hidden=256, dropout=0.2):
        super().__init__()
        if residual:
            self.residual = ResidualBranch(cin, c, dropout)
            self.identity = Projection(cin, c) if cin != c else None
        else:
            self.base_block = Basic(cin, c)
        self.is_residual = residual
        self.source = source
        inputs = {"squeeze": c, "hidden": hidden, "both": c + hidden}[source]
        excitation = Excitation(inputs, c)
        if source == "squeeze":
            self.se = excitation
        else:
            self.excitation = excitation

    def trunk(self, x):
        if not self.is_residual:
            return self.base_block(x)[0]
        shortcut = x if self.identity is None else self.identity(x)
        return F.max_pool1d(F.relu(self.residual(x) + shortcut), 3)

    def forward(self, x, h=None):
        y = self.trunk(x)
        if self.source == "squeeze":
            s = self.se(y.mean(-1))
        elif self.source == "hidden":
            s = self.excitation(h)
        else:
            s = self.excitation(torch.cat([y.mean(-1), h], 1))
        return y * s.unsqueeze(-1), s


def make_block(family, kind, cin, c):
    if kind == "basic" and family != "tfcrnn":
        return Basic(cin, c)
    source = "squeeze" if family != "tfcrnn" else ("hidden" if kind == "basic" else "both")
    return Excited(cin, c, residual=kind == "resse", source=source)


class Stem(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv0 = nn.Conv1d(1, width, 3, stride=3, padding=1)
        self.norm0 = nn.BatchNorm1d(width)

    def forward(self, x):
        return F.relu(self.norm0(self.conv0(x)))


class Model(nn.Module):
    """Input (batch, 1, 16000). Returns logits (steps, batch, classes), hidden or None, excitations per block
    (steps, batch, C) for excited blocks."""

    def __init__(self, variant, width=128, classes=35, hidden=256, window=3200, hop=1600, clip=16000):
        super().__init__()
        family, kind = variant.split("-")
        self.recurrent = family != "cnn"
        self.window, self.hop = window, hop
        samples = window if self.recurrent else clip
        count = int(math.floor(math.log(samples, 3) + 1e-9)) - 1
        channels = [width * (2 if i >= 2 else 1) * (2 if i == count - 1 else 1) for i in range(count)]
        self.init_block = Stem(width)
        self.blocks = nn.Module()
        cin = width
        for i, c in enumerate(channels):
            self.blocks.add_module(f"block{i}", make_block(family, kind, cin, c))
            cin = c
        self.dropout = nn.Dropout(0.5)
        if self.recurrent:
            self.cell = nn.GRUCell(cin, hidden)
            self.classifier = nn.Linear(hidden, classes)
        else:
            self.classifier = nn.Linear(cin, classes)
        self.hidden_size = hidden

    def features(self, x, h, excitations):
        x = self.init_block(x)
        for i, block in enumerate(self.blocks.children()):
            x, s = block(x, h)
            if s is not None:
                excitations[i].append(s)
        return x.amax(-1)

    def forward(self, waveforms):
        excitations = [[] for _ in self.blocks.children()]
        if not self.recurrent:
            logits = self.classifier(self.dropout(self.features(waveforms, None, excitations))).unsqueeze(0)
            return logits, None, [torch.stack(e) for e in excitations if e]
        windows = waveforms.unfold(2, self.window, self.hop)
        h = waveforms.new_zeros(waveforms.shape[0], self.hidden_size)
        logits = []
        for t in range(windows.shape[2]):
            f = self.features(windows[:, :, t], h, excitations)
            h = self.cell(self.dropout(f), h)
            logits.append(self.classifier(h))
        return torch.stack(logits), h, [torch.stack(e) for e in excitations if e]

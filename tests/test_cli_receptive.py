"""``python -m figures receptive``: the table of a zoo model or of the reader's own network,
its JSON, and one line for everything it cannot do (run in-process: torch loads once)."""

import json
import textwrap

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel")

from figures.cli import main

NET = textwrap.dedent("""
    import torch
    from torch import nn

    class Branched(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3, 2, 1)
            self.left = nn.Conv2d(8, 8, 3, 1, 1)
            self.right = nn.Sequential(nn.Conv2d(8, 8, 1), nn.Conv2d(8, 8, 4, 1, "same"))
            self.pool = nn.MaxPool2d(2)
            self.head = nn.Linear(16, 10)

        def forward(self, x):
            x = self.stem(x)
            x = torch.cat([self.left(x), self.right(x)], 1)
            return self.head(self.pool(x).mean((2, 3)))

    def branched():
        return Branched()

    def upsampled():
        return nn.Sequential(nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=2))

    def number():
        return 3

    def broken():
        raise RuntimeError("no weights file here")

    def one_layer():
        return nn.Conv2d(3, 8, 5, stride=2)

    def no_spatial_layer():
        return nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 2))

    class FortyTwo(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 3)

        def forward(self, x):
            return 42

    def forty_two():
        return FortyTwo()

    def leaves():
        import sys
        sys.exit(0)

    def forever():
        while True:
            try:
                pass
            except Exception:  # the reader's own handler cannot swallow the time limit
                pass
""")


@pytest.fixture
def here(tmp_path, monkeypatch):
    (tmp_path / "readers_net.py").write_text(NET)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_resnet50_table(capsys):
    assert main(["receptive", "resnet50"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "resnet50, input 224×224"
    rows = [line.split() for line in lines[2:7]]
    assert rows == [["pool1", "56×56", "11", "4", "5", "0"], ["layer1", "56×56", "35", "4", "17", "0"],
                    ["layer2", "28×28", "91", "8", "45", "0"], ["layer3", "14×14", "267", "16", "133", "0"],
                    ["layer4", "7×7", "427", "32", "213", "0"]]
    assert lines[7].startswith("r: receptive field; J: effective stride; P: effective padding")


def test_json_has_every_node(capsys):
    assert main(["receptive", "vgg16", "--input", "224", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "vgg16" and data["input"] == [224, 224]
    assert [s["label"] for s in data["stages"]] == ["pool1", "pool2", "pool3", "pool4", "pool5"]
    pool5 = data["stages"][-1]
    assert pool5["name"] == "features.30" and pool5["output"] == [7, 7]
    assert pool5["field"]["height"] == {"size": 212, "stride": 32, "padding": 90, "offset": 15.5, "aligned": True}
    convs = [n for n in data["nodes"] if n["op"] == "Conv2d"]
    assert len(convs) == 13 and data["nodes"][0]["name"] == "x"


def test_a_readers_branched_model(here, capsys):
    assert main(["receptive", "readers_net:branched", "--input", "32x48"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "readers_net:branched, input 32×48"
    rows = {line.split()[0]: line.split()[1:] for line in out[2:-1]}
    assert rows["stem"] == ["16×24", "3", "2", "1", "0"]
    assert rows["left"] == ["16×24", "7", "2", "3", "0"]
    assert rows["right"] == ["16×24", "9", "2", "3", "1"]  # 4×4 "same": 1 before, 2 after
    assert rows["pool"] == ["8×12", "11", "4", "3", "2", "unaligned"]  # the two branches' centres differ
    assert main(["receptive", "readers_net:branched", "--input", "32x48", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cat = next(n for n in data["nodes"] if n["op"] == "cat")
    assert cat["field"]["width"]["size"] == 9 and cat["aligned"] is False


@pytest.mark.parametrize("args, message", [
    (["resnet51"], "model 'resnet51': give one of alexnet, vgg16"),
    (["readers_net:"], "model 'readers_net:': give one of"),
    (["nowhere:net"], "model 'nowhere:net': cannot import 'nowhere': ModuleNotFoundError"),
    (["readers_net:missing"], "model 'readers_net:missing': readers_net has no function 'missing'"),
    (["readers_net:number"], "model 'readers_net:number': number() returned int, not a torch.nn.Module"),
    (["readers_net:broken"], "model 'readers_net:broken': broken() raised RuntimeError: no weights file here"),
    (["readers_net:upsampled"], "1 (Upsample): no receptive-field rule for this operation"),
    (["alexnet", "--input", "30"], "input 30×30: features.5: "),
    (["resnet18", "--input", "0"], "'0': 0 is not allowed, --input must be positive"),
    (["readers_net:no_spatial_layer"], "model 'readers_net:no_spatial_layer': has no convolution or pooling layer"),
    (["readers_net:forty_two"], "model 'readers_net:forty_two': its forward makes no feature map"),
    (["readers_net:leaves"], "model 'readers_net:leaves': your code called sys.exit(0); nothing was measured"),
    (["readers_net:forever", "--timeout", "1"], "model 'readers_net:forever': your code did not finish within 1 s"),
    (["resnet18", "--timeout", "0"], "argument --timeout: 0: give 1 to 3600 seconds"),
])
def test_what_it_cannot_do_is_one_line(here, capsys, args, message):
    assert main(["receptive", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("python -m figures: error: ")
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_single_layer_is_a_model(here, capsys):
    assert main(["receptive", "readers_net:one_layer", "--input", "33"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2].split() == ["conv2d", "15×15", "5", "2", "0", "2"]


def test_the_help_says_the_readers_code_is_run(capsys):
    with pytest.raises(SystemExit):
        main(["receptive", "--help"])
    assert "as `python FILE` would run your code" in " ".join(capsys.readouterr().out.split())

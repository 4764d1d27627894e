"""The model zoo (figures/zoo.py) is torchvision's architectures, checked without torchvision.

The proof of each model is its parameter count, equal to the number torchvision publishes for
its ImageNet weights, plus a few state_dict keys with their shapes as torchvision's checkpoints
have them, plus the shape of every stage's output as the papers and torchvision's comments give
it (written here as literals, never computed by the code under test). Shapes come from the meta
device (no memory, no arithmetic); one real forward on CPU shows the meta path hides nothing.
"""

import pytest
import torch
import torch.fx as fx

from figures import zoo

NAMES = ["alexnet", "vgg16", "resnet18", "resnet50", "densenet121", "googlenet", "inception_v3",
         "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "convnext_tiny", "regnet_y_400mf"]

# torchvision's "num_params" for each model's ImageNet weights (its model documentation)
PUBLISHED = {
    "alexnet": 61_100_840, "vgg16": 138_357_544, "resnet18": 11_689_512, "resnet50": 25_557_032,
    "densenet121": 7_978_856, "googlenet": 6_624_904, "inception_v3": 27_161_264,
    "mobilenet_v2": 3_504_872, "mobilenet_v3_large": 5_483_032, "efficientnet_b0": 5_288_548,
    "convnext_tiny": 28_589_128, "regnet_y_400mf": 4_344_144,
}

# stage module → (C, H, W) on a 224 × 224 input (299 × 299 for Inception v3), from the papers'
# tables and the shape comments in torchvision's sources
SHAPES = {
    "alexnet": {"features.2": (64, 27, 27), "features.5": (192, 13, 13), "features.12": (256, 6, 6)},
    "vgg16": {"features.4": (64, 112, 112), "features.9": (128, 56, 56), "features.16": (256, 28, 28),
              "features.23": (512, 14, 14), "features.30": (512, 7, 7)},
    "resnet18": {"maxpool": (64, 56, 56), "layer1": (64, 56, 56), "layer2": (128, 28, 28),
                 "layer3": (256, 14, 14), "layer4": (512, 7, 7)},
    "resnet50": {"maxpool": (64, 56, 56), "layer1": (256, 56, 56), "layer2": (512, 28, 28),
                 "layer3": (1024, 14, 14), "layer4": (2048, 7, 7)},
    "densenet121": {"features.pool0": (64, 56, 56),
                    "features.denseblock1": (256, 56, 56), "features.transition1": (128, 28, 28),
                    "features.denseblock2": (512, 28, 28), "features.transition2": (256, 14, 14),
                    "features.denseblock3": (1024, 14, 14), "features.transition3": (512, 7, 7),
                    "features.denseblock4": (1024, 7, 7), "features.norm5": (1024, 7, 7)},
    "googlenet": {"maxpool1": (64, 56, 56), "maxpool2": (192, 28, 28), "inception3b": (480, 28, 28),
                  "maxpool3": (480, 14, 14), "inception4e": (832, 14, 14), "maxpool4": (832, 7, 7),
                  "inception5b": (1024, 7, 7)},
    "inception_v3": {"maxpool1": (64, 73, 73), "maxpool2": (192, 35, 35), "Mixed_5d": (288, 35, 35),
                     "Mixed_6e": (768, 17, 17), "Mixed_7c": (2048, 8, 8)},
    "mobilenet_v2": {"features.1": (16, 112, 112), "features.3": (24, 56, 56), "features.6": (32, 28, 28),
                     "features.13": (96, 14, 14), "features.18": (1280, 7, 7)},
    "mobilenet_v3_large": {"features.1": (16, 112, 112), "features.3": (24, 56, 56), "features.6": (40, 28, 28),
                           "features.12": (112, 14, 14), "features.16": (960, 7, 7)},
    "efficientnet_b0": {"features.1": (16, 112, 112), "features.2": (24, 56, 56), "features.3": (40, 28, 28),
                        "features.5": (112, 14, 14), "features.8": (1280, 7, 7)},
    "convnext_tiny": {"features.1": (96, 56, 56), "features.3": (192, 28, 28), "features.5": (384, 14, 14),
                      "features.7": (768, 7, 7)},
    "regnet_y_400mf": {"trunk_output.block1": (48, 56, 56), "trunk_output.block2": (104, 28, 28),
                       "trunk_output.block3": (208, 14, 14), "trunk_output.block4": (440, 7, 7)},
}

# a few state_dict entries as torchvision's checkpoints name and shape them
KEYS = {
    "alexnet": {"features.10.weight": (256, 256, 3, 3), "classifier.6.weight": (1000, 4096)},
    "vgg16": {"features.28.weight": (512, 512, 3, 3), "classifier.0.weight": (4096, 25088)},
    "resnet18": {"layer2.0.downsample.0.weight": (128, 64, 1, 1), "fc.weight": (1000, 512)},
    "resnet50": {"layer4.2.conv3.weight": (2048, 512, 1, 1), "layer1.0.downsample.1.running_mean": (256,)},
    "densenet121": {"features.denseblock4.denselayer16.conv2.weight": (32, 128, 3, 3),
                    "features.transition3.conv.weight": (512, 1024, 1, 1), "features.norm5.weight": (1024,)},
    "googlenet": {"inception5b.branch4.1.conv.weight": (128, 832, 1, 1), "inception3a.branch3.1.conv.weight":
                  (32, 16, 3, 3)},
    "inception_v3": {"Mixed_7c.branch3x3dbl_3b.conv.weight": (384, 384, 3, 1),
                     "Mixed_5b.branch1x1.conv.weight": (64, 192, 1, 1),
                     "AuxLogits.conv1.conv.weight": (768, 128, 5, 5), "AuxLogits.fc.weight": (1000, 768)},
    "mobilenet_v2": {"features.1.conv.0.0.weight": (32, 1, 3, 3), "features.1.conv.1.weight": (16, 32, 1, 1),
                     "features.2.conv.2.weight": (24, 96, 1, 1), "features.18.0.weight": (1280, 320, 1, 1)},
    "mobilenet_v3_large": {"features.4.block.2.fc1.weight": (24, 72, 1, 1),
                           "features.16.0.weight": (960, 160, 1, 1), "classifier.3.weight": (1000, 1280)},
    "efficientnet_b0": {"features.1.0.block.1.fc1.weight": (8, 32, 1, 1),
                        "features.6.3.block.1.0.weight": (1152, 1, 5, 5), "features.8.0.weight": (1280, 320, 1, 1)},
    "convnext_tiny": {"features.1.0.layer_scale": (96, 1, 1), "features.1.0.block.2.weight": (96,),
                      "features.6.1.weight": (768, 384, 2, 2), "classifier.0.weight": (768,)},
    "regnet_y_400mf": {"stem.0.weight": (32, 3, 3, 3), "trunk_output.block4.block4-1.f.se.fc1.weight": (110, 440, 1, 1),
                       "trunk_output.block2.block2-0.proj.0.weight": (104, 48, 1, 1)},
}


@pytest.fixture(scope="module")
def meta_models():
    """Every model, built on the meta device, in eval mode."""
    with torch.device("meta"):
        return {name: zoo.MODELS[name]().eval() for name in NAMES}


def meta_input(name, batch=1):
    return torch.empty(batch, 3, zoo.INPUT[name], zoo.INPUT[name], device="meta")


def stage_shapes(model, names, x):
    """The output shape (C, H, W) of each named submodule on input x, recorded by forward hooks."""
    seen = {}

    def record(name):
        def hook(module, args, out):
            seen.setdefault(name, tuple(out.shape[1:]))  # the first call (a module used once per stage)
        return hook

    hooks = [model.get_submodule(n).register_forward_hook(record(n)) for n in names]
    try:
        with torch.no_grad():
            out = model(x)
    finally:
        for h in hooks:
            h.remove()
    return seen, out


def test_the_tables_name_the_same_twelve_models():
    assert list(zoo.MODELS) == NAMES
    assert set(zoo.PUBLISHED_PARAMS) == set(zoo.STAGES) == set(zoo.INPUT) == set(NAMES)
    assert zoo.PUBLISHED_PARAMS == PUBLISHED
    assert {n: s for n, s in zoo.INPUT.items() if s != 224} == {"inception_v3": 299}


@pytest.mark.parametrize("name", NAMES)
def test_parameter_count_equals_torchvisions(meta_models, name):
    assert sum(p.numel() for p in meta_models[name].parameters()) == PUBLISHED[name]


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_keys_are_torchvisions(meta_models, name):
    state = meta_models[name].state_dict()
    assert {k: tuple(state[k].shape) for k in KEYS[name] if k in state} == KEYS[name]


@pytest.mark.parametrize("name", NAMES)
def test_every_stage_has_the_published_shape(meta_models, name):
    names = [module for _, module in zoo.STAGES[name]]
    assert names == list(SHAPES[name])
    labels = [label for label, _ in zoo.STAGES[name]]
    assert len(set(labels)) == len(labels) and all(0 < len(label) <= 12 for label in labels)
    seen, out = stage_shapes(meta_models[name], names, meta_input(name))
    assert seen == SHAPES[name]
    assert out.shape == (1, 1000)


@pytest.mark.parametrize("name", NAMES)
def test_traces_with_fx_and_the_stages_are_in_the_graph(meta_models, name):
    model = meta_models[name]
    traced = fx.symbolic_trace(model)
    assert traced(meta_input(name)).shape == (1, 1000)
    scopes = {scope for node in traced.graph.nodes for scope in node.meta.get("nn_module_stack", {})}
    assert {module for _, module in zoo.STAGES[name]} <= scopes


def test_building_on_the_meta_device_allocates_nothing(meta_models):
    for model in meta_models.values():
        assert all(t.is_meta for t in [*model.parameters(), *model.buffers()])


def test_inception_v3_counts_its_auxiliary_classifier():
    with torch.device("meta"):
        model = zoo.inception_v3()
        bare = zoo.inception_v3(aux_logits=False)
    aux = 128 * 768 + 2 * 128 + 768 * 128 * 5 * 5 + 2 * 768 + 768 * 1000 + 1000  # conv0, conv1 (+BN), fc
    assert aux == 3_326_696
    assert sum(p.numel() for p in model.AuxLogits.parameters()) == aux
    assert sum(p.numel() for p in bare.parameters()) == PUBLISHED["inception_v3"] - aux
    model.train()  # the auxiliary logits come out in training only, as in torchvision
    logits, aux_logits = fx.symbolic_trace(model)(meta_input("inception_v3", batch=2))
    assert logits.shape == aux_logits.shape == (2, 1000)
    assert model.eval()(meta_input("inception_v3")).shape == (1, 1000)


def test_stochastic_depth_is_the_identity_in_eval_and_drops_rows_in_training():
    drop = zoo.StochasticDepth(0.25)
    x = torch.ones(4000, 3, 2, 2)
    assert drop.eval()(x) is x
    torch.manual_seed(0)
    y = drop.train()(x)
    rows = y.flatten(1)
    assert rows.unique().tolist() == [0.0, pytest.approx(1 / 0.75)]
    assert torch.all(rows == rows[:, :1])  # a whole sample is kept or dropped
    assert abs((rows[:, 0] > 0).float().mean().item() - 0.75) < 0.03
    with pytest.raises(ValueError):
        zoo.StochasticDepth(1.5)


def test_a_real_forward_agrees_with_the_meta_one_and_with_the_trace():
    torch.manual_seed(0)
    model = zoo.mobilenet_v3_large().eval()  # inverted residuals, squeeze-excitation, hard swish
    x = torch.rand(1, 3, 224, 224)
    names = list(SHAPES["mobilenet_v3_large"])
    seen, out = stage_shapes(model, names, x)
    assert seen == SHAPES["mobilenet_v3_large"]
    assert out.shape == (1, 1000) and out.dtype == torch.float32 and torch.isfinite(out).all()
    with torch.no_grad():
        assert torch.equal(fx.symbolic_trace(model)(x), out)

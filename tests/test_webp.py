"""The lossless WebP the site serves beside every GIF (issue 33): the same frames, pixel for pixel,
with the same durations and loop; at most 0.45 of the GIF's bytes per language; cached and
verified like the GIFs; written by the CLI on request."""

import io

import numpy as np
import pytest
from PIL import Image

from figures import build, cache, catalog, encode
from figures.config import Config


def _shown(data: bytes) -> tuple[list[np.ndarray], list[int], object]:
    """Every frame as a browser composites it (RGBA), each one's duration, and the loop count,
    as Pillow decodes the file (a GIF or an animated WebP)."""
    frames, durations = [], []
    with Image.open(io.BytesIO(data)) as image:
        for n in range(getattr(image, "n_frames", 1)):
            image.seek(n)
            frames.append(np.asarray(image.convert("RGBA")))
            durations.append(image.info.get("duration", 0))
        return frames, durations, image.info.get("loop")


@pytest.fixture(scope="module")
def published():
    return dict(build.files())


def test_every_animation_has_a_webp_of_the_same_frames(published):
    """Every animation (light; every fourth also dark, to keep the test run short: the WebP is made
    the same way from either GIF): the WebP's frames equal the GIF's frames pixel for pixel (every
    pixel opaque), one WebP frame per GIF image (the player's step data indexes both), the same
    durations, and the same endless loop."""
    animations = [e for e in catalog.CATALOG if e.fmt == "gif"]
    assert len(animations) >= 30
    for n, entry in enumerate(animations):
        for theme in catalog.THEME_NAMES if n % 4 == 0 else ("light",):
            gif, webp = published[entry.filename(theme)], published[entry.filename(theme, "webp")]
            assert webp[:4] == b"RIFF" and webp[8:12] == b"WEBP", entry.filename(theme, "webp")
            (want, want_ms, want_loop), (got, got_ms, got_loop) = _shown(gif), _shown(webp)
            name = entry.filename(theme, "webp")
            assert len(got) == len(want) > 1, name
            assert got_ms == want_ms == encode.gif_durations(gif), name
            assert got_loop == want_loop == 0, name
            for n, (a, b) in enumerate(zip(want, got)):
                assert a.shape == b.shape and (b[..., 3] == 255).all(), (name, n)
                assert np.array_equal(a, b), (name, n, int((a != b).any(axis=2).sum()))


def test_a_still_figure_has_a_webp_only_where_it_is_smaller(published):
    """A still figure's WebP is published where lossless WebP is smaller than the PNG, and shows
    the PNG's pixels."""
    stills = [e for e in catalog.CATALOG if e.fmt == "png"]
    smaller = 0
    for entry in stills:
        for theme in catalog.THEME_NAMES:
            png, webp = published[entry.filename(theme)], published.get(entry.filename(theme, "webp"), b"")
            if not webp:
                made = cache.read(cache.path(entry.config(), theme, "webp", frame=entry.frame))
                assert made is not None and len(made) >= len(png), entry.filename(theme)
                continue
            smaller += 1
            assert len(webp) < len(png)
            with Image.open(io.BytesIO(png)) as a, Image.open(io.BytesIO(webp)) as b:
                assert np.array_equal(np.asarray(a.convert("RGBA")), np.asarray(b.convert("RGBA"))), entry.name
    assert smaller  # most of them are smaller as WebP (photographs, colour maps, the legend)


def test_each_language_carries_at_most_045_of_the_gif_bytes(published):
    """Issue 33's target, per theme (a language's pages show one theme's figures at a time): all
    the animations' WebP at most 0.45 of their GIF bytes."""
    for theme in catalog.THEME_NAMES:
        names = [e for e in catalog.CATALOG if e.fmt == "gif"]
        gif = sum(len(published[e.filename(theme)]) for e in names)
        webp = sum(len(published[e.filename(theme, "webp")]) for e in names)
        assert webp <= 0.45 * gif, (theme, webp, gif, webp / gif)


def test_webp_bytes_are_deterministic(published):
    gif = published[catalog.CATALOG[0].filename()]
    assert encode.webp(gif) == encode.webp(gif) == published[catalog.CATALOG[0].filename("light", "webp")]


def test_gif_durations_are_read_from_the_blocks(published):
    for entry in [e for e in catalog.CATALOG if e.fmt == "gif"][:8]:
        gif = published[entry.filename()]
        assert encode.gif_durations(gif) == _shown(gif)[1]


def test_a_webp_cache_entry_is_verified_and_made_again(tmp_path, monkeypatch, capsys):
    """A WebP entry has its record (name, size, SHA-256) like a GIF's; a corrupt one is reported in
    one line and made again, the same bytes."""
    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path))
    config = Config("conv", (3, 3), (2, 2))
    data = cache.load(config, "light", "webp")
    target = cache.path(config, "light", "webp")
    assert target.read_bytes() == data and target.with_name(target.name + cache.RECORD).is_file()
    assert cache.read(target) == data
    target.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert cache.load(config, "light", "webp") == data
    assert "does not match its checksum record" in capsys.readouterr().err
    assert cache.read(target) == data
    assert _shown(data)[0] and len(_shown(data)[0]) == len(_shown(cache.load(config, "light", "gif"))[0])


def test_the_cli_writes_webp_on_request_and_gif_by_default(tmp_path, monkeypatch):
    from figures import cli

    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path / "cache"))
    args = ["render", "conv", "--input", "3", "--kernel", "2"]
    assert cli.main([*args, "-o", str(tmp_path / "fig.webp")]) == 0
    assert cli.main([*args, "-o", str(tmp_path / "fig.gif")]) == 0
    webp, gif = (tmp_path / "fig.webp").read_bytes(), (tmp_path / "fig.gif").read_bytes()
    assert webp[8:12] == b"WEBP" and gif[:6] == b"GIF89a"
    for a, b in zip(_shown(gif)[0], _shown(webp)[0], strict=True):
        assert np.array_equal(a, b)
    assert cli.main(["build", "--only", "legend", "padding-strides", "--theme", "light", "--format", "webp",
                     "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["legend.webp", "padding-strides.webp"]

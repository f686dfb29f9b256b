"""What we read from other packages' insides, which no public API promises.

zxcvbn and drug-named-entity-recognition are pinned exactly in pyproject.toml for this reason:
a new release that moved these would otherwise quietly empty the password check or the filters'
name lists. Upgrading either means re-running these tests.
"""
from importlib.metadata import version

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from community.moderation.filters import drugs, phi


def test_zxcvbn_frequency_lists_have_the_lists_we_read():
    assert version("zxcvbn") == "4.5.0"
    for name, at_least in [("passwords", 10_000), ("english_wikipedia", 10_000), ("us_tv_and_film", 10_000),
                           ("female_names", 1_000), ("male_names", 500), ("surnames", 10_000)]:
        words = FREQUENCY_LISTS[name]
        assert isinstance(words, list) and len(words) >= at_least, name
        assert all(isinstance(w, str) for w in words[:100]), name
    assert "password" in FREQUENCY_LISTS["passwords"][:10]


def test_phi_name_lists_come_from_zxcvbn():
    common, names, *_ = phi._word_lists()
    assert "because" in common and "smith" in names and "mary" in names


def test_drug_dictionary_file_has_the_shape_we_unpickle():
    assert version("drug-named-entity-recognition") == "2.0.9"
    text = drugs._read_dictionary()
    variants = text.split("\n")
    assert len(variants) > 20_000
    for name in ("metformin", "insulin glargine", "ibuprofen", "levothyroxine"):
        assert name in variants, name
    assert "metformin" in drugs.names()

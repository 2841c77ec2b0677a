"""Pure pieces: the haversine distance, how distances read, and shelter cards staying inside
LINE's limits whatever the data."""

from __future__ import annotations

import json

import pytest

from bot.shelters import distance_m
from bot.shelters.records import ShelterDraft, ShelterInvalid, validate
from messages.shelters import ShelterCard, distance_label, nearest, open_shelters
from messages.text import ALT_TEXT_MAX, CAROUSEL_MAX_BYTES, utf16_length


def test_haversine_distance_matches_known_values():
    assert distance_m(34.0, 131.0, 34.0, 131.0) == 0
    assert distance_m(34.0, 131.0, 35.0, 131.0) == pytest.approx(111_195, rel=1e-4)  # one degree of latitude
    assert distance_m(34.1668, 131.2057, 34.2248, 131.2981) == pytest.approx(10_720, rel=0.01)


@pytest.mark.parametrize(("metres", "label"), [(4, "10m"), (344, "340m"), (999, "1.0km"), (1000, "1.0km"),
                                                (2249, "2.2km"), (15_430, "15.4km")])
def test_distance_labels(metres, label):
    assert distance_label(metres) == label


def test_many_long_cards_stay_inside_lines_limits():
    card = ShelterCard(name="見本：" + "とても長い名前の避難所" * 20, address="山口県美祢市" + "番地" * 200,
                       status="open", status_label="開設", latitude=34.2, longitude=131.2, capacity=300,
                       distance_m=1234.0, since="12月2日（水）15:30", sample=True)
    for messages in (open_shelters([card] * 30, "美祢"), nearest([card] * 30, any_open=True)):
        flex = messages[-1].to_dict()
        assert len(json.dumps(flex["contents"], ensure_ascii=False, separators=(",", ":")).encode()) <= CAROUSEL_MAX_BYTES
        assert len(flex["contents"]["contents"]) <= 10
        assert utf16_length(flex["altText"]) <= ALT_TEXT_MAX


def test_validation_names_every_wrong_field():
    draft = ShelterDraft(name="", address="", latitude=35.9, longitude=131.2, area="tokyo", emergency_site=False,
                         evacuation_shelter=False, disaster_types=["meteor"], capacity=-1)
    with pytest.raises(ShelterInvalid) as raised:
        validate(draft)
    assert set(raised.value.errors) == {"name", "latitude", "area", "kind", "disaster_types", "capacity"}

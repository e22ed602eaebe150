"""The permit fee engine: each fee model, the safe formula language and its refusals."""

from balai.permits.fees import fee_compute, fee_config_validate

FIELDS = [
    {"code": "lebar", "label": "Lebar papan (m)", "type": "decimal"},
    {"code": "tinggi", "label": "Tinggi papan (m)", "type": "decimal"},
    {"code": "lama_hari", "label": "Lama pemasangan (hari)", "type": "integer"},
]


def test_it_computes_the_dki_billboard_tax():
    config = fee_config_validate(
        model="formula", config={"expression": "0.25 * lebar * tinggi * lama_hari * 125000"}, fields=FIELDS
    )
    quote = fee_compute(model="formula", config=config, values={"lebar": "3", "tinggi": "5", "lama_hari": "30"})
    assert quote.amount == 14_062_500

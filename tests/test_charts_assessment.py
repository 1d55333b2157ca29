"""The assessment's hand-written Vega-Lite specs are valid (oracle: the Vega-Lite JSON schema
shipped with Altair).  The chart wrappers skip validation at run time, so it is done here once."""

import altair as alt
import pytest

from calculator import risk
from calculator.charts import assessment as charts
from calculator.presets import PRESETS


@pytest.fixture(scope="module", params=list(PRESETS))
def result(request):
    return risk.assess(PRESETS[request.param])


def test_gauge_spec_is_valid_vega_lite(result):
    alt.LayerChart.from_dict(charts.gauge_spec(result), validate=True)


def test_drivers_spec_is_valid_vega_lite(result):
    alt.Chart.from_dict(charts.drivers_spec(result), validate=True)


@pytest.mark.parametrize("months", [12, 36])
def test_trajectory_spec_is_valid_vega_lite(result, months):
    alt.LayerChart.from_dict(charts.trajectory_spec(result, months), validate=True)


def test_main_chart_is_valid_vega_lite(result):
    alt.VConcatChart.from_dict(charts.main_chart(result).to_dict(validate=False), validate=True)

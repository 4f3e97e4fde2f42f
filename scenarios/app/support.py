"""Former ``ui_support``: a list of re-exports kept so older imports work.

Import from the modules named for what they hold instead (:mod:`.jobs`, :mod:`.history`,
:mod:`.geometry`, :mod:`.colours`, :mod:`.edits`, ...) and texts from
:mod:`sapxep.scenarios.messages`. This file will be removed.
"""

from __future__ import annotations

from sapxep.scenarios.app.colours import (  # noqa: F401
    COMPLIANCE_CATEGORIES,
    COMPLIANCE_COLOURS,
    GROUP_PALETTE,
    compliance_category,
    differing_units,
    group_colours,
)
from sapxep.scenarios.app.datasets import (  # noqa: F401
    APP_DATASETS,
    DEFAULT_DATASET,
    DEFAULT_RULESET,
    adjacency_graph,
    ruleset_names,
)
from sapxep.scenarios.app.downloads import (  # noqa: F401
    _EXPORT_MODULES,
    EXPORTS,
    comparison_pdf_bytes,
    download_bytes,
    export_available,
    plan_csv_bytes,
    safe_file_stem,
)
from sapxep.scenarios.app.edits import (  # noqa: F401
    check,
    move_unit,
    neighbouring_new_units,
    plans_equal,
    reset_seat,
    set_seat,
    split_new_unit,
)
from sapxep.scenarios.app.geometry import (  # noqa: F401
    boundary_lines,
    lonlat_extent,
    union_lines,
    units_geojson,
)
from sapxep.scenarios.app.history import PlanHistory  # noqa: F401
from sapxep.scenarios.app.hover import (  # noqa: F401
    new_unit_labels,
    plan_hover,
    unit_hover,
)
from sapxep.scenarios.app.jobs import (  # noqa: F401
    BackgroundJob,
    JobCancelled,
)
from sapxep.scenarios.app.planning import (  # noqa: F401
    comparison_metrics,
    dissolve,
    plan_config,
    plan_key,
    progress_fraction,
    run_plan,
)
from sapxep.scenarios.app.saved import (  # noqa: F401
    HISTORY_DATASET,
    HISTORY_SCENARIO,
    import_history,
    save_scenario,
    scenario_infos,
    scenario_names,
    workspace_token,
)
from sapxep.scenarios.app.staffing import (  # noqa: F401
    org_chart_png,
    projection_by_year,
    scenario_staffing,
    staffing_summary_table,
    staffing_tables,
)
from sapxep.scenarios.app.tables import (  # noqa: F401
    format_table,
    metrics_frame,
)
from sapxep.scenarios.app.unit_inputs import (  # noqa: F401
    EDITABLE_COLUMNS,
    apply_unit_edits,
    diff_unit_edits,
    editable_frame,
    read_unit_edits,
    save_unit_edits,
)
from sapxep.scenarios.app.uploads import (  # noqa: F401
    check_upload_sizes,
    read_uploaded_units,
)
from sapxep.scenarios.messages import column_label, tr, translate_columns  # noqa: F401
from sapxep.scenarios.messages import metric_label as metric_text  # noqa: F401
from sapxep.scenarios.messages.app import APP_TEXT as UI_TEXT  # noqa: F401
from sapxep.scenarios.messages.columns import COLUMN_LABELS  # noqa: F401

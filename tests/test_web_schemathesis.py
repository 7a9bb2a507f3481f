"""Property-based requests generated from the OpenAPI spec (schemathesis strategies, sent
over real HTTP) find no server error on any operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from report_fixtures import build_store
from schemathesis.checks import not_a_server_error
from web_fixtures import app_for, serve

EXAMPLES_PER_OPERATION = 6


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "store.db"
    build_store(path, hostile=True).close()
    with serve(app_for(path)) as url:
        yield url


def test_no_operation_answers_with_a_server_error(base):
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures: list[str] = []
    calls = 0

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                  database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            nonlocal calls
            calls += 1
            response = case.call(base_url=base, timeout=30)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: "
                                f"{response.status_code} {response.text[:200]}")
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:  # collect every failing operation, not only the first
                failures.append(f"{operation.label}: {exc}")

        run()
    assert calls >= len(operations)
    assert not failures, "\n".join(failures[:20])

"""Build concrete URLs for `app.url_map` rules from sample values (for URL-walking tests)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence

from werkzeug.routing import Rule

_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def rule_url(rule: Rule, args: Mapping[str, object]) -> str:
    """Build a rule's URL from sample values, failing on a variable the caller does not know."""
    unknown = set(rule.arguments) - set(args)
    assert not unknown, f"{rule.endpoint}: add sample values for {unknown}"
    return _VARIABLE.sub(lambda m: str(args[m.group(1)]), rule.rule)


def rule_urls(rule: Rule, choices: Mapping[str, Sequence[object]]) -> Iterator[str]:
    """Every URL a rule gives over each combination of several sample values per variable."""
    names = sorted(rule.arguments)
    unknown = set(names) - set(choices)
    assert not unknown, f"{rule.endpoint}: add sample values for {unknown}"
    for values in itertools.product(*(choices[name] for name in names)):
        yield rule_url(rule, dict(zip(names, values, strict=True)))

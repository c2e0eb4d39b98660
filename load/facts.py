"""What an article says (countries, persons, sums, events), as warehouse rows: collected
over a batch and inserted at its end with one COPY and one INSERT … SELECT per table."""
from __future__ import annotations

from dataclasses import dataclass, field

from akhbar.load import bulk


@dataclass
class Facts:
    """What a batch's articles say, inserted with one statement per table at the batch's end
    (facts play no part in deduplication, so nothing in the batch needs them earlier)."""
    countries: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    amounts: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def add(self, article_id: int, doc: dict) -> int:
        self.countries += [(article_id, code) for code in sorted(set(doc.get("countries") or []))]
        self.persons += [(article_id, n, p["name"], p.get("office"), p.get("country"))
                         for n, p in enumerate(doc.get("persons") or []) if p.get("name")]
        self.amounts += [(article_id, n, a["value"], a["currency"], a.get("text") or "")
                         for n, a in enumerate(doc.get("amounts") or [])]
        events = []
        for e in doc.get("events") or []:
            loc = e.get("event_loc") or {}
            for category in e.get("event") or []:
                events.append((article_id, len(events), category, list(e.get("mode") or []),
                               e.get("quad_code"), e.get("date"),
                               sorted({a["code"] for a in e.get("actor") or [] if a.get("code")}),
                               sorted({r["code"] for r in e.get("recipient") or [] if r.get("code")}),
                               loc.get("country"), loc.get("name"), e.get("event_text")))
        self.events += events
        return len(events)

    def extend(self, other: "Facts") -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).extend(getattr(other, name))

    def insert(self, cur) -> None:
        tables = (("load_countries", self.countries), ("load_persons", self.persons),
                  ("load_amounts", self.amounts),
                  ("load_events", ((n,) + e for n, e in enumerate(self.events))))
        for (table, rows), statement in zip(tables, bulk.INSERT_FACTS):
            if bulk.copy_rows(cur, table, rows):
                cur.execute(statement)

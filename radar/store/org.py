"""The organisation in the store: the roadmap, our stack, the KEV catalog, and the links
between trends and them. People's confirmations and rejections of links are append-only
and follow trend ids through merges and splits, like decisions do."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, replace

from radar.errors import NotFoundError, RadarError
from radar.models import (
    CONFIRMED,
    INITIATIVE,
    KEV_MARKS,
    Initiative,
    KevEntry,
    KevMark,
    Link,
    StackItem,
)
from radar.org import target_end
from radar.store.sqlite import sqlite_utils
from radar.text import now_iso


class OrgStore:
    """Roadmap, stack, KEV and trend links (mixed into `Store`)."""

    db: sqlite_utils.Database

    def _touch(self) -> None:
        """Count a change to the organisation's data (part of the app's cache key)."""
        self.db.execute("insert into changes (area, n) values ('org', 1)"
                        " on conflict (area) do update set n = n + 1")

    # --- the roadmap -----------------------------------------------------------------------

    def save_initiatives(self, initiatives: Iterable[Initiative]) -> int:
        """Add or update initiatives (by id) in one transaction; returns how many."""
        rows = [{**asdict(i), "keywords": json.dumps(list(i.keywords)),
                 "archived": int(i.archived), "updated_at": now_iso()} for i in initiatives]
        with self.writing():
            self.db["initiatives"].upsert_all(rows, pk="id")
            self._touch()
        return len(rows)

    def load_initiatives(self, *, include_archived: bool = False) -> list[Initiative]:
        rows = self.db.query("select * from initiatives")
        found = [Initiative(id=r["id"], name=r["name"], owner=r["owner"] or "",
                            target=r["target"] or "", description=r["description"] or "",
                            keywords=tuple(json.loads(r["keywords"] or "[]")),
                            archived=bool(r["archived"])) for r in rows]
        found.sort(key=lambda i: (i.archived, not i.target, target_end(i.target), i.name))
        return [i for i in found if include_archived or not i.archived]

    def get_initiative(self, initiative_id: str) -> Initiative:
        for initiative in self.load_initiatives(include_archived=True):
            if initiative.id == initiative_id:
                return initiative
        raise NotFoundError(f"no initiative with id {initiative_id!r}")

    def archive_initiative(self, initiative_id: str, *, archived: bool = True) -> None:
        self.save_initiatives([replace(self.get_initiative(initiative_id), archived=archived)])

    # --- our stack -------------------------------------------------------------------------

    def save_stack(self, items: Iterable[StackItem], *, replace_all: bool = False) -> int:
        """Add or update stack items (by id), or make them the whole stack; one transaction."""
        rows = [asdict(item) for item in items]
        with self.writing():
            if replace_all:
                self.db.execute("delete from stack")
            self.db["stack"].upsert_all(rows, pk="id")
            self._touch()
        return len(rows)

    def load_stack(self) -> list[StackItem]:
        return [StackItem(**{k: row[k] or "" for k in row})
                for row in self.db.query("select * from stack order by vendor, product")]

    # --- CISA's KEV catalog ----------------------------------------------------------------

    def save_kev(self, entries: Iterable[KevEntry], *, document: dict | None = None) -> int:
        """Replace the catalog (and the state of the fetch that brought it) at once;
        returns how many entries are new."""
        rows = [{**asdict(e), "ransomware": int(e.ransomware)} for e in entries]
        with self.writing():
            before = {row[0] for row in self.db.execute("select cve from kev")}
            self.db.execute("delete from kev")
            self.db["kev"].insert_all(rows, pk="cve")
            if document:
                self.save_document_state(document)
            self._touch()
        return len({row["cve"] for row in rows} - before)

    def load_kev(self) -> dict[str, KevEntry]:
        return {row["cve"]: KevEntry(**{**row, "ransomware": bool(row["ransomware"])})
                for row in self.db.query("select * from kev")}

    def record_kev_mark(self, mark: KevMark) -> None:
        """A person marks a KEV entry in our stack patched, mitigated or not affected (or
        open again). Append-only, apart from the catalog: a `kev update` replaces the
        catalog and keeps every mark."""
        if mark.state not in KEV_MARKS or not mark.note.strip():
            raise RadarError(f"a KEV mark is one of {', '.join(KEV_MARKS)}, with a note "
                             f"saying why (got {mark.state!r}, note {mark.note!r})")
        with self.writing():
            if not self.db.execute("select 1 from kev where cve = ?", [mark.cve]).fetchone():
                raise NotFoundError(f"{mark.cve} is not in the KEV catalog "
                                    "(`radar kev update` loads it)")
            if mark.stack_id and not self.db.execute("select 1 from stack where id = ?",
                                                     [mark.stack_id]).fetchone():
                raise NotFoundError(f"no stack item with id {mark.stack_id!r}")
            self.db["kev_marks"].insert({**asdict(mark)}, pk="id")
            self._touch()

    def load_kev_marks(self) -> list[KevMark]:
        """Every mark, in the order given (the later one counts)."""
        return [KevMark(cve=r["cve"], state=r["state"], note=r["note"] or "",
                        author=r["author"] or "", at=r["at"], stack_id=r["stack_id"] or "")
                for r in self.db.query("select * from kev_marks order by id")]

    def load_document_state(self, name: str) -> dict:
        """What the last fetch of a document (the KEV catalog) left: validators, time."""
        rows = list(self.db.query("select * from documents where name = ?", [name]))
        return rows[0] if rows else {"name": name}

    def save_document_state(self, state: dict) -> None:
        self.db["documents"].upsert(state, pk="name")

    # --- links between trends and the organisation -------------------------------------------

    def save_links(self, links: Iterable[Link], kev: dict[str, list[tuple[str, str | None]]]
                   ) -> None:
        """Replace what matching found (people's states are kept apart, untouched)."""
        with self.writing():
            self.db.execute("delete from trend_links")
            self.db.execute("delete from trend_kev")
            self.db["trend_links"].insert_all(
                ({"trend_id": link.trend_id, "kind": link.kind, "target_id": link.target_id,
                  "reason": link.reason, "score": link.score} for link in links),
                pk=("trend_id", "kind", "target_id"))
            self.db["trend_kev"].insert_all(
                ({"trend_id": trend_id, "cve": cve, "stack_id": stack_id}
                 for trend_id, found in kev.items() for cve, stack_id in found),
                pk=("trend_id", "cve"))
            self._touch()

    def record_link_state(self, trend_id: str, kind: str, target_id: str, state: str, *,
                          author: str, at: str) -> None:
        """A person confirms or rejects a link (append-only, like decisions)."""
        with self.writing():
            self.get_trend(trend_id)
            if kind == INITIATIVE:
                self.get_initiative(target_id)
            elif not any(item.id == target_id for item in self.load_stack()):
                raise NotFoundError(f"no stack item with id {target_id!r}")
            self.db["link_states"].insert({"trend_id": trend_id, "kind": kind,
                                           "target_id": target_id, "state": state,
                                           "author": author, "at": at}, pk="id")
            self._touch()

    def load_links(self) -> dict[str, list[Link]]:
        """Every trend's links, with people's states applied.

        A state follows the trend: one given to a trend merged into this one, or to the
        trend this one split from, counts for it unless it has its own. A confirmed link
        stays even when matching no longer finds it.
        """
        states = {(r["trend_id"], r["kind"], r["target_id"]): r["state"]
                  for r in self.db.query("select * from link_states order by id")}
        heirs: dict[str, list[str]] = {}
        for row in self.db.query("select id, merged_into, parent_id from trends"):
            if row["merged_into"]:
                heirs.setdefault(row["merged_into"], []).append(row["id"])
            if row["parent_id"]:
                heirs.setdefault(row["id"], []).append(row["parent_id"])

        def state_of(trend_id: str, kind: str, target_id: str) -> str | None:
            for source in (trend_id, *heirs.get(trend_id, ())):
                if (source, kind, target_id) in states:
                    return states[(source, kind, target_id)]
            return None

        found: dict[str, dict[tuple[str, str], Link]] = {}
        for row in self.db.query("select * from trend_links"):
            link = Link(row["trend_id"], row["kind"], row["target_id"], row["reason"],
                        row["score"])
            state = state_of(link.trend_id, link.kind, link.target_id)
            found.setdefault(link.trend_id, {})[(link.kind, link.target_id)] = \
                replace(link, state=state) if state else link
        inheritors: dict[str, set[str]] = {}
        for trend_id, sources in heirs.items():
            for source in sources:
                inheritors.setdefault(source, set()).add(trend_id)
        for (source, kind, target_id), state in states.items():
            for trend_id in {source, *inheritors.get(source, ())} if state == CONFIRMED else ():
                if (kind, target_id) not in found.get(trend_id, {}) \
                        and state_of(trend_id, kind, target_id) == CONFIRMED:
                    found.setdefault(trend_id, {})[(kind, target_id)] = Link(
                        trend_id, kind, target_id, "confirmed by a person", 1.0, CONFIRMED)
        return {trend_id: sorted(links.values(), key=lambda link: -link.score)
                for trend_id, links in found.items()}

    def load_trend_kev(self) -> dict[str, list[tuple[KevEntry, str | None]]]:
        """Per trend, the KEV entries its headlines name and the stack item each hits."""
        kev = self.load_kev()
        found: dict[str, list[tuple[KevEntry, str | None]]] = {}
        for row in self.db.query("select * from trend_kev order by trend_id, cve"):
            if row["cve"] in kev:
                found.setdefault(row["trend_id"], []).append((kev[row["cve"]], row["stack_id"]))
        return found

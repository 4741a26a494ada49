"""End-to-end tests of the exchange exports: export-popolo on a generated
roster with events, validated against the Popolo JSON schemas and counted
against the database; masking and --unmask with its audit; export-open311
with every field and the status of each state, and no citizen's name or
phone anywhere in it; --out replaced whole, never half-written, and a clear
error for a file that cannot be written."""
import json
import os
import resource
import signal
import stat
import subprocess
import unittest
import warnings

from rdlztest import RDLZ, SOURCE, RdlzTestCase

SHARED = os.path.normpath(os.path.join(SOURCE, "..", "shared"))
SCHEMAS = os.path.join(SHARED, "data", "popolo-schemas")
VALIDATE = os.path.join(SHARED, "tools", "validate-popolo.py")
OPEN_STATES = {"submitted", "taken", "forwarded", "filed", "assigned", "accepted"}
CITIZENS = [("王小明", "13900001111"), ("陈\"某\"某", "0633-2226688"), ("李晓", "15012345678")]


class ExportTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.roster(60))
        self.ok("retire-deputy", "RZ0002")
        # a deputy who joins later serves from then
        self.ok("add-deputy", "--name", "赵\"六\\", "--phone", "13712340743", "--email", "zhao6@example.cn",
                "--photo", "https://rd.example.cn/photos/zhao6.jpg", env={"RDLZ_NOW": "2026-12-01T10:00:00+08:00"})
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")
        self.ok("add-department", "--code", "SWJ", "--name", "水务局")
        self.ok("set-route", "道路", "ZJJ")
        self.ok("create-event", "--kind", "meeting", "--title", "常委会第三十次会议", "--starts", "2026-12-20 09:00",
                "--ends", "2026-12-20 11:30", "--place", "第一会议室")
        self.ok("create-event", "--kind", "inquiry", "--title", "专题询问：养老服务", "--starts", "2026-12-21 09:00")
        hearing = self.ok("create-event", "--kind", "hearing", "--title", "合同纠纷案庭审", "--starts",
                          "2026-12-22 09:00", "--announce-at", "2026-12-01 09:00", "--court", "区人民法院").out.strip()
        self.ok("cancel-event", hearing, "--reason", "延期")

    def export(self, *args):
        return self.ok(*args).json()

    def cases(self):
        """Requests and suggestions through most states; their ids by state."""
        ids = {}
        for (name, phone), deputy in zip(CITIZENS, ("RZ0001", "RZ0003", "RZ0004")):
            ids.setdefault("submitted", []).append(self.ok(
                "submit-request", "--deputy", deputy, "--citizen", name, "--phone", phone, "--place", "秦楼街道",
                "--text", f"我是{name}，电话{phone}，楼道灯坏了\n请尽快处理（2026-11-28）").out.strip())
        r1, r2, _ = ids["submitted"]
        self.ok("take-request", r1, "--deputy", "RZ0001")
        self.ok("resolve-case", r1, "--text", f"已修复，已电话告知{CITIZENS[0][0]}")
        self.ok("answer-case", r1, "--text", "已反馈")
        self.ok("close-case", r1)
        self.ok("take-request", r2, "--deputy", "RZ0003")
        self.ok("assign-case", r2, "--department", "SWJ")
        s1 = self.ok("file-suggestion", "--deputy", "RZ0005", "--title", "人行道\"破损\"", "--text", "某路段人行道破损",
                     "--category", "道路", "--geo", "35.416,119.527").out.strip()
        s2 = self.ok("file-suggestion", "--deputy", "RZ0005", "--title", "路灯", "--text", "路灯不亮",
                     "--category", "道路").out.strip()
        self.ok("accept-case", s2)
        self.ok("answer-case", s2, "--text", "已安排维修")
        self.ok("file-suggestion", "--deputy", "RZ0006", "--title", "垃圾桶", "--text", "垃圾桶不够")
        return r1, r2, s1, s2

    # ------------------------------------------------------------------
    # Popolo

    @unittest.skipUnless(os.path.exists(VALIDATE), "the Popolo schemas and checker are in ../shared")
    def test_popolo_validates_against_the_schemas(self):
        path = os.path.join(self.dir, "popolo.json")
        self.ok("export-popolo", "--out", path)
        r = subprocess.run(["/usr/bin/python3", VALIDATE, path], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(" 0 problems", r.stdout)
        # and with the validator's own library, against the schemas directly, item by item
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        import jsonschema
        store = {}
        for name in os.listdir(SCHEMAS):
            if name.endswith(".json"):
                with open(os.path.join(SCHEMAS, name)) as f:
                    s = json.load(f)
                store[s["id"]] = store[s["id"].rstrip("#")] = s
        with open(path) as f:
            doc = json.load(f)
        for key, kind in (("persons", "person"), ("organizations", "organization"),
                          ("memberships", "membership"), ("events", "event")):
            schema = store[f"http://www.popoloproject.com/schemas/{kind}.json"]
            v = jsonschema.Draft3Validator(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=store))
            for item in doc[key]:
                self.assertEqual([e.message for e in v.iter_errors(item)], [], item)

    def test_popolo_counts_match_the_database(self):
        doc = self.export("export-popolo")
        deputies = self.ok("list-deputies", "--format", "json").json()
        departments = self.ok("list-departments", "--format", "json").json()
        events = self.ok("list-events", "--format", "json").json()
        self.assertEqual(len(deputies), 61)
        self.assertEqual([p["id"] for p in doc["persons"]], ["person/" + d["code"] for d in deputies])
        self.assertEqual([p["identifiers"] for p in doc["persons"]],
                         [[{"scheme": "rdlz", "identifier": d["code"]}] for d in deputies])
        self.assertEqual([p["name"] for p in doc["persons"]], [d["name"] for d in deputies])
        delegations = list(dict.fromkeys(d["delegation"] for d in deputies if d["delegation"]))
        orgs = doc["organizations"]
        self.assertEqual(len(orgs), 1 + len(delegations) + len(departments))
        self.assertEqual(orgs[0], {"id": "organization/congress", "name": "人民代表大会",
                                   "classification": "legislature"})
        self.assertEqual([o["name"] for o in orgs if o["classification"] == "delegation"], delegations)
        self.assertTrue(all(o.get("parent_id") == "organization/congress"
                            for o in orgs if o["classification"] == "delegation"))
        self.assertEqual(sorted(o["name"] for o in orgs if o["classification"] == "executive"), ["住建局", "水务局"])
        # every membership names a person and an organization of the file
        people, org_ids = {p["id"] for p in doc["persons"]}, {o["id"] for o in orgs}
        members = doc["memberships"]
        self.assertEqual(len(members), len(deputies) + sum(1 for d in deputies if d["delegation"]))
        self.assertTrue(all(m["person_id"] in people and m["organization_id"] in org_ids for m in members))
        by_id = {m["id"]: m for m in members}
        self.assertNotIn("start_date", by_id["membership/RZ0001"])  # the first roster: from before any record
        self.assertNotIn("end_date", by_id["membership/RZ0001"])
        self.assertEqual(by_id["membership/RZ0002"]["end_date"], self.NOW[:10])
        self.assertEqual(by_id["membership/RZ0002/delegation"]["end_date"], self.NOW[:10])
        self.assertEqual(by_id["membership/RZ0061"]["start_date"], "2026-12-01")
        # events, cancelled ones included and marked
        self.assertEqual(len(doc["events"]), len(events))
        uids = ["event/" + self.ok("show-event", str(e["id"]), "--format", "json").json()["uid"] for e in events]
        self.assertEqual([e["id"] for e in doc["events"]], uids)
        self.assertEqual([e["status"] for e in doc["events"]], [e["status"] for e in events])
        self.assertEqual([e["classification"] for e in doc["events"]], ["meeting", "inquiry", "hearing"])
        meeting, _, hearing = doc["events"]
        self.assertEqual((meeting["start_date"], meeting["end_date"], meeting["location"]),
                         ("2026-12-20T09:00:00+08:00", "2026-12-20T11:30:00+08:00", "第一会议室"))
        self.assertEqual((hearing["status"], hearing["description"]), ("cancelled", "法院：区人民法院\n取消原因：延期"))
        # the same database, the same file: ids are stable
        self.assertEqual(self.ok("export-popolo").out, self.ok("export-popolo").out)
        self.ok("set-config", "congress.name", "日照市人民代表大会")
        self.assertEqual(self.export("export-popolo")["organizations"][0]["name"], "日照市人民代表大会")

    def test_popolo_masks_unless_unmask_which_is_audited(self):
        clear = {d["code"]: d for d in self.ok("list-deputies", "--unmask", "--format", "json").json()}
        audited = len(self.ok("list-audit", "--format", "json").json())
        out = self.ok("export-popolo").out
        doc = json.loads(out)
        for d in clear.values():
            if d["phone"]:
                self.assertNotIn(d["phone"], out)
            if d["email"]:
                self.assertNotIn(d["email"], out)
        zhao = next(p for p in doc["persons"] if p["id"] == "person/RZ0061")
        self.assertEqual(zhao["name"], "赵\"六\\")
        self.assertEqual(zhao["image"], "https://rd.example.cn/photos/zhao6.jpg")
        self.assertEqual(zhao["contact_details"], [{"type": "cell", "label": "联系电话", "value": "137****0743"},
                                                   {"type": "email", "label": "邮箱", "value": "z***@example.cn"}])
        self.assertEqual(doc["meta"]["contact_details"], "masked")
        self.assertEqual(len(self.ok("list-audit", "--format", "json").json()), audited)
        path = os.path.join(self.dir, "clear.json")
        self.ok("export-popolo", "--unmask", "-o", path)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)  # personal data in clear
        with open(path) as f:
            doc = json.load(f)
        with_contacts = 0
        for p in doc["persons"]:
            d = clear[p["identifiers"][0]["identifier"]]
            values = [c["value"] for c in p.get("contact_details", [])]
            self.assertEqual(values, [v for v in (d["phone"], d["email"]) if v])
            with_contacts += bool(values)
        entry = self.ok("list-audit", "--format", "json").json()[-1]
        self.assertEqual((entry["command"], entry["change"]),
                         ("export-popolo", f"unmasked export of personal data: Popolo persons, {with_contacts} rows"))

    # ------------------------------------------------------------------
    # Open311

    def test_open311_fields_states_and_nothing_personal(self):
        r1, r2, s1, s2 = self.cases()
        out = self.ok("export-open311").out
        requests = json.loads(out)
        listed = {str(c["id"]): c for c in self.ok("list-cases", "--format", "json").json()}
        self.assertEqual([q["service_request_id"] for q in requests], list(listed))
        keys = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
        departments = {d["code"]: d["name"] for d in self.ok("list-departments", "--format", "json").json()}
        for q in requests:
            c = listed[q["service_request_id"]]
            self.assertEqual(list(q), keys)
            self.assertEqual(q["status"], "open" if c["state"] in OPEN_STATES else "closed", c["state"])
            self.assertTrue(q["service_notice"])
            self.assertEqual(q["requested_datetime"], c["created_at"])
            self.assertEqual(q["expected_datetime"], c["due_at"])
            self.assertEqual(q["agency_responsible"], departments.get(c["department"]))
            self.assertEqual(q["service_code"], c["category"] or c["kind"])
            self.assertIsNone(q["media_url"])
        by_id = {q["service_request_id"]: q for q in requests}
        self.assertEqual(len({listed[i]["state"] for i in listed}), 6)
        self.assertEqual((by_id[r1]["status"], by_id[r1]["status_notes"]), ("closed", "已反馈"))
        self.assertEqual((by_id[r2]["status"], by_id[r2]["agency_responsible"]), ("open", "水务局"))
        self.assertEqual((by_id[s1]["lat"], by_id[s1]["long"]), (35.416, 119.527))
        self.assertEqual(by_id[s1]["description"], "人行道\"破损\"\n某路段人行道破损")
        self.assertEqual((by_id[s2]["status"], by_id[s2]["status_notes"]), ("closed", "已安排维修"))
        # the texts keep what is not personal, and lose what is
        self.assertEqual(by_id[r1]["description"], "我是***，电话***，楼道灯坏了\n请尽快处理（2026-11-28）")
        self.assertEqual(by_id[r1]["address"], "秦楼街道")
        # no citizen's name or phone, tracking number or deputy phone anywhere, however written
        personal = [self.ok("show-case", r, "--unmask", "--format", "json").json() for r in (r1, r2)]
        deputies = self.ok("list-deputies", "--unmask", "--format", "json").json()
        for name, phone in CITIZENS:
            for needle in (name, phone, phone.replace("-", ""), json.dumps(name)[1:-1]):
                self.assertNotIn(needle, out)
        for c in personal:
            self.assertNotIn(c["tracking"], out)
        for d in deputies:
            if d["phone"]:
                self.assertNotIn(d["phone"], out)

    def test_open311_filters(self):
        self.cases()
        self.assertEqual([q["service_code"] for q in self.export("export-open311", "--kind", "request")],
                         ["request"] * 3)
        self.assertEqual(len(self.export("export-open311", "--kind", "suggestion")), 3)
        self.assertEqual(len(self.export("export-open311", "--from", self.NOW[:10], "--to", self.NOW[:10])), 6)
        self.assertEqual(self.ok("export-open311", "--from", "2026-11-29").out, "[]\n")
        self.assertEqual(self.export("export-open311", "--to", "2026-11-27"), [])
        r = self.run_rdlz("export-open311", "--from", "2026-11-28", "--to", "2026-11-27", expect=2)
        self.assertIn("--to is before --from", r.err)
        self.run_rdlz("export-open311", "--kind", "complaint", expect=2)
        self.run_rdlz("export-open311", "--from", "2026-02-30", expect=2)

    # ------------------------------------------------------------------
    # --out

    def test_out_is_replaced_whole_and_a_failure_leaves_it(self):
        self.cases()
        for cmd in ("export-popolo", "export-open311"):
            path = os.path.join(self.dir, cmd + ".json")
            self.ok(cmd, "--out", path)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)
            self.assertEqual(self.read(path), self.ok(cmd).out.encode("utf-8"))
            self.write(cmd + ".json", "previous\n")
            # a run that fails half-way through writing: files may grow to 512 bytes only
            r = subprocess.run([RDLZ, cmd, "--out", path], capture_output=True, env=self.env, cwd=self.dir,
                               timeout=60, preexec_fn=small_files)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(f"cannot write '{path}'", r.stderr.decode())
            self.assertEqual(self.read(path), b"previous\n")
            # a run refused before it starts leaves it too
            self.run_rdlz(cmd, "--out", path, "--bogus", expect=2)
            self.assertEqual(self.read(path), b"previous\n")
        self.assertEqual(sorted(f for f in os.listdir(self.dir) if f.startswith("export-")),
                         ["export-open311.json", "export-popolo.json"])  # no temporary file left behind

    def test_out_that_cannot_be_written(self):
        self.write("plain", "x")
        os.mkdir(os.path.join(self.dir, "adir"))
        for cmd in ("export-popolo", "export-open311"):
            for path, why in (("missing/out.json", "No such file or directory"),
                              ("plain/out.json", "Not a directory"),
                              ("adir", "Is a directory")):
                r = self.run_rdlz(cmd, "--out", path, expect=1)
                self.assertEqual(r.err, f"rdlz: cannot write '{path}': {why}\n")
                self.assertEqual(r.out, "")
        self.assertEqual(sorted(f for f in os.listdir(self.dir) if not f.startswith("rdlz.db")),
                         ["adir", "plain", "roster.csv"])
        self.assertEqual(os.listdir(os.path.join(self.dir, "adir")), [])


def small_files():
    """In the child: writing past 512 bytes fails with EFBIG instead of killing it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))


if __name__ == "__main__":
    unittest.main()

"""The documentation agrees with the command table.

`rdlz help`, each `rdlz CMD --help` and `rdlz completion bash|zsh|fish` are
rendered from cmd/commands.c; the man pages (man/) and the completion files
(completions/) are written or generated once and kept in the repository.
These tests fail when they drift apart:

 - the commands of `rdlz help`, the man/rdlz-*.1 pages and the COMMANDS
   section of rdlz.1 (with its groups) are the same;
 - each page's NAME, SYNOPSIS and OPTIONS name the command's summary,
   operands and options (with their metavariables, in order) as its --help;
 - the generated completions offer every command and option, and the files
   in completions/ are byte for byte what `rdlz completion` prints;
 - the EXIT STATUS section of rdlz.1 lists the codes and meanings of
   `rdlz help exit-codes`;
 - libdutytrack.3 lists every public function, under its header;
 - every page passes `mandoc -T lint -W warning`.

RDLZ_BIN names the built rdlz; the pages are found from this file.
"""
import functools
import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))
MAN = os.path.join(SOURCE, "man")
COMPLETIONS = os.path.join(SOURCE, "completions")
INCLUDE = os.path.join(SOURCE, "include", "dutytrack")
RDLZ = os.environ.get("RDLZ_BIN", "rdlz")

COMPLETION_FILES = {"bash": "rdlz.bash", "zsh": "_rdlz", "fish": "rdlz.fish"}

_scratch = None


def setUpModule():
    global _scratch
    _scratch = tempfile.TemporaryDirectory(prefix="rdlz-docs-")


def tearDownModule():
    _scratch.cleanup()


def run_bytes(*args):
    """Run rdlz in a scratch directory (no database is opened) and return stdout."""
    env = dict(os.environ)
    env["RDLZ_DB"] = os.path.join(_scratch.name, "none.db")
    proc = subprocess.run([RDLZ, *args], capture_output=True, cwd=_scratch.name, env=env, timeout=60)
    if proc.returncode != 0:
        raise AssertionError(f"rdlz {' '.join(args)}: exit {proc.returncode}: "
                             f"{proc.stderr.decode('utf-8', 'replace')}")
    return proc.stdout


def run(*args):
    return run_bytes(*args).decode("utf-8")


# --------------------------------------------------------------------------
# What rdlz says about itself


@functools.lru_cache(maxsize=None)
def help_groups():
    """[(group title, [(command, summary)])] from `rdlz help`, in order."""
    groups = []
    current = None
    for line in run("help").splitlines():
        if not line.strip():
            continue
        heading = re.match(r"^(\S.*):$", line)
        if heading:
            current = (heading.group(1), [])
            groups.append(current)
            continue
        if not line.startswith(" "):
            current = None
            continue
        m = re.match(r"^  ([a-z][a-z0-9-]*) +(\S.*)$", line)
        if m and current is not None:
            current[1].append((m.group(1), m.group(2)))
    return [(title, cmds) for title, cmds in groups if cmds]


@functools.lru_cache(maxsize=None)
def help_commands():
    """{command: summary} from `rdlz help`."""
    return {name: summary for _, cmds in help_groups() for name, summary in cmds}


@functools.lru_cache(maxsize=None)
def command_help(cmd):
    """(operands, [(short or None, long, metavar or None)]) from `rdlz CMD --help`."""
    text = run(cmd, "--help")
    usage = re.match(r"^usage: rdlz (\S+) \[options\] ?(.*)$", text.splitlines()[0])
    if not usage or usage.group(1) != cmd:
        raise AssertionError(f"rdlz {cmd} --help: unexpected usage line {text.splitlines()[0]!r}")
    options = []
    for line in text.splitlines():
        # "  -n, --dry-run            help" / "  --format FORMAT          help": the
        # option column is padded, so two spaces end it; a column that fills
        # its width is followed by one space, and its metavar is in capitals.
        m = (re.match(r"^  (?:-([A-Za-z0-9]), )?--([a-z0-9][a-z0-9-]*)(?: (\S+))?(?:  +|$)", line)
             or re.match(r"^  (?:-([A-Za-z0-9]), )?--([a-z0-9][a-z0-9-]*)(?: ([A-Z][A-Z0-9_]*))?(?: |$)", line))
        if m:
            options.append((m.group(1), m.group(2), m.group(3)))
    return usage.group(2), options


def long_options(cmd):
    return [(name, metavar) for _, name, metavar in command_help(cmd)[1]]


def short_options(cmd):
    return {(short, name) for short, name, _ in command_help(cmd)[1] if short}


# --------------------------------------------------------------------------
# What the pages say


def normalise(text):
    """mdoc source text as it reads: escapes that appear in our pages undone."""
    for esc, plain in (("\\-", "-"), ("\\(aq", "'"), ("\\(em", "-"), ("\\&", ""), ("\\e", "\\")):
        text = text.replace(esc, plain)
    return text


def tokens(line):
    """The words of an mdoc macro line; double-quoted arguments stay whole."""
    return [t[1:-1] if t.startswith('"') and t.endswith('"') and len(t) > 1 else t
            for t in re.findall(r'"[^"]*"|\S+', line.lstrip("."))]


@functools.lru_cache(maxsize=None)
def page(name):
    with open(os.path.join(MAN, name), encoding="utf-8") as f:
        return f.read()


@functools.lru_cache(maxsize=None)
def sections(name):
    """{section title: [source lines]} of a page."""
    out = {}
    current = None
    for line in page(name).splitlines():
        if line.startswith(".Sh "):
            current = " ".join(tokens(line)[1:])
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def section(name, title):
    secs = sections(name)
    if title not in secs:
        raise AssertionError(f"{name} has no {title} section")
    return secs[title]


def flags(lines):
    """The options in .Fl macros of these lines, in order:
    long ones as ("long", name, metavar), short ones as ("short", letter, None).
    `.Fl \\-name` renders --name, since Fl adds one dash itself."""
    found = []
    for line in lines:
        if not line.startswith("."):
            continue
        t = tokens(line)
        for i, tok in enumerate(t):
            if tok != "Fl" or i + 1 >= len(t):
                continue
            arg = normalise(t[i + 1])
            metavar = t[i + 3] if i + 3 < len(t) and t[i + 2] == "Ar" else None
            if len(arg) > 1 and arg.startswith("-"):
                found.append(("long", arg[1:].split("=")[0], metavar))
            elif re.fullmatch(r"[A-Za-z0-9]", arg):
                found.append(("short", arg, metavar))
    return found


def item_lines(lines):
    """The .It lines of a section (the heads of its list entries)."""
    return [line for line in lines if line.startswith(".It ")]


def man_commands():
    return {f[len("rdlz-"):-len(".1")] for f in os.listdir(MAN)
            if f.startswith("rdlz-") and f.endswith(".1")}


# --------------------------------------------------------------------------


class CommandsTest(unittest.TestCase):
    """The same commands in rdlz help, the pages and rdlz(1)."""

    def test_help_lists_commands(self):
        self.assertTrue(help_commands(), "no commands found in 'rdlz help'")

    def test_a_page_per_command(self):
        self.assertEqual(man_commands(), set(help_commands()),
                         "man/rdlz-*.1 pages vs the commands of 'rdlz help'")

    def test_rdlz1_commands_and_groups(self):
        groups = []
        xrefs = set()
        for line in section("rdlz.1", "COMMANDS"):
            if line.startswith(".Ss "):
                groups.append((" ".join(tokens(line)[1:]).lower(), []))
            elif line.startswith(".It ") and groups:
                t = tokens(line)
                if len(t) > 2 and t[1] == "Cm":
                    groups[-1][1].append(normalise(t[2]))
            elif line.startswith(".Xr "):
                t = tokens(line)
                if len(t) > 2 and t[1].startswith("rdlz-") and t[2] == "1":
                    xrefs.add(normalise(t[1])[len("rdlz-"):])
        expected = [(title.lower(), [name for name, _ in cmds]) for title, cmds in help_groups()]
        self.assertEqual(groups, expected, "rdlz.1 COMMANDS (.Ss groups, .It Cm names) vs 'rdlz help'")
        self.assertEqual(xrefs, set(help_commands()), "rdlz.1 COMMANDS .Xr rdlz-* 1 vs 'rdlz help'")


class PagesTest(unittest.TestCase):
    """Each command's page against its --help."""

    def commands(self):
        # pages that are missing are reported by CommandsTest
        return [(cmd, f"rdlz-{cmd}.1") for cmd in sorted(set(help_commands()) & man_commands())]

    def test_name(self):
        for cmd, name in self.commands():
            with self.subTest(command=cmd):
                src = page(name)
                self.assertIn(f".Dt RDLZ-{cmd.upper()} 1\n", src, f"{name}: .Dt")
                lines = section(name, "NAME")
                self.assertIn(f".Nm rdlz-{cmd}", [normalise(l) for l in lines], f"{name}: NAME .Nm")
                nd = [normalise(l[len(".Nd "):]) for l in lines if l.startswith(".Nd ")]
                self.assertEqual(nd, [help_commands()[cmd]], f"{name}: .Nd vs the summary in 'rdlz help'")

    def test_synopsis_options(self):
        for cmd, name in self.commands():
            with self.subTest(command=cmd):
                found = flags(section(name, "SYNOPSIS"))
                self.assertEqual([(n, m) for kind, n, m in found if kind == "long"], long_options(cmd),
                                 f"{name}: SYNOPSIS .Fl \\-name [Ar METAVAR] vs 'rdlz {cmd} --help'")
                self.assertEqual({n for kind, n, _ in found if kind == "short"},
                                 {s for s, _ in short_options(cmd)},
                                 f"{name}: SYNOPSIS short options vs 'rdlz {cmd} --help'")

    def test_options_list(self):
        for cmd, name in self.commands():
            with self.subTest(command=cmd):
                found = flags(item_lines(section(name, "OPTIONS")))
                self.assertEqual([(n, m) for kind, n, m in found if kind == "long"], long_options(cmd),
                                 f"{name}: OPTIONS .It Fl \\-name [Ar METAVAR] vs 'rdlz {cmd} --help'")
                self.assertEqual({n for kind, n, _ in found if kind == "short"},
                                 {s for s, _ in short_options(cmd)},
                                 f"{name}: OPTIONS short options vs 'rdlz {cmd} --help'")

    def test_synopsis_operands(self):
        for cmd, name in self.commands():
            with self.subTest(command=cmd):
                lines = section(name, "SYNOPSIS")
                words = {normalise(w) for line in lines if line.startswith(".") for w in tokens(line)}
                self.assertTrue(any(normalise(l).split() == [".Nm", "rdlz", cmd] for l in lines),
                                f"{name}: SYNOPSIS has no '.Nm rdlz {cmd}'")
                operands = command_help(cmd)[0]
                for word in re.findall(r"[A-Za-z][A-Za-z0-9-]*", operands):
                    self.assertIn(word, words, f"{name}: SYNOPSIS lacks the operand {word!r} of '{operands}'")

    def test_see_also_rdlz(self):
        for cmd, name in self.commands():
            with self.subTest(command=cmd):
                self.assertIn(".Xr rdlz 1", [l.rstrip(" ,") for l in section(name, "SEE ALSO")],
                              f"{name}: SEE ALSO lacks .Xr rdlz 1")


class CompletionTest(unittest.TestCase):
    """The completions offer every command and option, and the files kept in
    completions/ are what rdlz generates."""

    def test_files_are_generated(self):
        for shell, file in COMPLETION_FILES.items():
            with self.subTest(shell=shell):
                with open(os.path.join(COMPLETIONS, file), "rb") as f:
                    kept = f.read()
                self.assertTrue(kept == run_bytes("completion", shell),
                                f"completions/{file} differs from 'rdlz completion {shell}'; "
                                f"regenerate it: rdlz completion {shell} > completions/{file}")

    def test_bash(self):
        script = run("completion", "bash")
        lists = [set(words.split()) for words in re.findall(r"compgen -W '([^']*)'", script)]
        top = [words for words in lists if "--version" in words]
        self.assertTrue(top, "bash: no list of commands")
        self.assertLessEqual(set(help_commands()), top[0], "bash: commands offered")
        for cmd in help_commands():
            with self.subTest(command=cmd):
                block = re.search(rf"^\t{re.escape(cmd)}\)\n(.*?)^\t\t;;$", script, re.M | re.S)
                self.assertIsNotNone(block, f"bash: no case for {cmd}")
                offered = re.search(r"\$cur == -\* \]\]; then\n\t+COMPREPLY=\(\$\(compgen -W '([^']*)'",
                                    block.group(1))
                self.assertIsNotNone(offered, f"bash: no option list for {cmd}")
                self.assertEqual(set(offered.group(1).split()), {f"--{n}" for n, _ in long_options(cmd)},
                                 f"bash: options of {cmd}")

    def test_zsh(self):
        script = run("completion", "zsh")
        listed = set(re.findall(r"^\t\t'([a-z][a-z0-9-]*):", script, re.M))
        self.assertLessEqual(set(help_commands()), listed, "zsh: commands offered")
        for cmd in help_commands():
            with self.subTest(command=cmd):
                block = re.search(rf"^\t{re.escape(cmd)}\)\n\t\t_arguments(.*?)\n\t\t;;$", script, re.M | re.S)
                self.assertIsNotNone(block, f"zsh: no case for {cmd}")
                self.assertEqual(set(re.findall(r"'--([a-z0-9-]+)\[", block.group(1))),
                                 {n for n, _ in long_options(cmd)}, f"zsh: options of {cmd}")

    def test_fish(self):
        script = run("completion", "fish")
        listed = set(re.findall(r"^complete -c rdlz -n '__fish_use_subcommand' -a (\S+)", script, re.M))
        self.assertLessEqual(set(help_commands()), listed, "fish: commands offered")
        for cmd in help_commands():
            with self.subTest(command=cmd):
                lines = re.findall(rf"^complete -c rdlz -n '__fish_seen_subcommand_from {re.escape(cmd)}'"
                                   r" -l (\S+)(?: -s (\S))?", script, re.M)
                self.assertEqual({n for n, _ in lines}, {n for n, _ in long_options(cmd)},
                                 f"fish: options of {cmd}")
                self.assertEqual({(s, n) for n, s in lines if s}, short_options(cmd),
                                 f"fish: short options of {cmd}")


class ExitStatusTest(unittest.TestCase):
    def test_rdlz1_exit_status(self):
        listed = [tuple(m) for m in re.findall(r"^(\d+)\t(.+)$", run("help", "exit-codes"), re.M)]
        self.assertTrue(listed, "'rdlz help exit-codes' printed no codes")
        items = []
        for line in section("rdlz.1", "EXIT STATUS"):
            t = tokens(line) if line.startswith(".") else []
            if line.startswith(".It "):
                code = t[2] if len(t) > 2 and t[1] == "Sy" else None
                items.append((code, []))
            elif line.startswith(".El"):
                break
            elif items and not line.startswith("."):
                items[-1][1].append(normalise(line))
        self.assertEqual([code for code, _ in items], [code for code, _ in listed],
                         "rdlz.1 EXIT STATUS .It Sy N vs 'rdlz help exit-codes'")
        for (code, body), (_, meaning) in zip(items, listed):
            self.assertIn(meaning, " ".join(body), f"rdlz.1 EXIT STATUS {code}: meaning")


class LibraryPageTest(unittest.TestCase):
    def test_every_public_function(self):
        declared = {}
        for header in sorted(os.listdir(INCLUDE)):
            if header.endswith(".h"):
                with open(os.path.join(INCLUDE, header), encoding="utf-8") as f:
                    names = re.findall(r"DT_EXTERN\s+[^;(]*?\b(dt_\w+)\s*\(", f.read())
                if names:
                    declared[header] = set(names)
        documented = {}
        current = None
        for line in page("libdutytrack.3").splitlines():
            if line.startswith(".Ss "):
                m = re.search(r"dutytrack/(\w+\.h)$", " ".join(tokens(line)[1:]))
                current = m.group(1) if m else None
            elif line.startswith(".It ") and current:
                t = tokens(line)
                documented.setdefault(current, set()).update(
                    t[i + 1] for i, tok in enumerate(t[:-1]) if tok == "Fn")
        self.assertTrue(declared, "no DT_EXTERN functions found in include/dutytrack")
        self.assertEqual(documented, declared,
                         "libdutytrack.3: functions under '.Ss ...: dutytrack/HEADER.h' vs the headers")


class LintTest(unittest.TestCase):
    def test_mandoc_lint(self):
        mandoc = shutil.which("mandoc")
        if not mandoc:
            self.skipTest("mandoc is not installed")
        pages = sorted(f for f in os.listdir(MAN) if re.search(r"\.[1-9]$", f))
        self.assertTrue(pages, "no man pages")
        for name in pages:
            with self.subTest(page=name):
                proc = subprocess.run([mandoc, "-T", "lint", "-W", "warning", os.path.join(MAN, name)],
                                      capture_output=True, timeout=60)
                self.assertEqual((proc.stdout + proc.stderr).decode("utf-8", "replace"), "")
                self.assertEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""bench/relative-paths.py DIR NAME: makes a published run's evidence free of this machine's paths.

A run's config.json (and the settings table of its report.html) names the dataset and the run directory
as absolute paths of the machine it ran on. Here the dataset becomes a path relative to the repository
(its SHA-256 beside it already identifies the data), and the run directory becomes runs/NAME, as the
README's commands write it. Other absolute paths in the command line are made relative to the repository.
Both files are rewritten through a temporary file and a rename. bench/publish-run.sh calls this.
"""
import json, os, sys, tempfile

def relative(path, repo):
    return os.path.relpath(os.path.normpath(path), repo)

def write(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path))
    with os.fdopen(fd, "w", newline="\n") as f:
        f.write(text)
    os.chmod(tmp, os.stat(path).st_mode & 0o777)  # mkstemp's file is private; keep the original's mode
    os.replace(tmp, path)

def main(run_dir, name):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    config_file = os.path.join(run_dir, "config.json")
    with open(config_file) as f:
        text = f.read()
    config = json.loads(text)
    replacements = {}
    source = config.get("dataset", {}).get("source")
    if source and os.path.isabs(source):
        replacements[source] = config["dataset"]["source"] = relative(source, repo)
    command = config.get("command")
    if command:
        words = command.split(" ")
        for i, w in enumerate(words):
            if i > 0 and words[i - 1] == "--out":
                words[i] = "runs/" + name
            elif os.path.isabs(w):
                words[i] = relative(w, repo)
        replacements[command] = config["command"] = " ".join(words)
    # Textual, so that the rest of the file keeps the form the program wrote.
    for old in sorted(replacements, key=len, reverse=True):
        text = text.replace(json.dumps(old), json.dumps(replacements[old]))
    write(config_file, text)
    report = os.path.join(run_dir, "report.html")
    if os.path.isfile(report):
        with open(report) as f:
            page = f.read()
        # the longest first: the command holds the dataset's path
        for old in sorted(replacements, key=len, reverse=True):
            page = page.replace(old, replacements[old])
        write(report, page)
    for old, new in replacements.items():
        print(f"{run_dir}: {old} -> {new}")

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bench/relative-paths.py DIR NAME")
    main(sys.argv[1], sys.argv[2])

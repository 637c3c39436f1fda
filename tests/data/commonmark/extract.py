"""Extract the examples of the CommonMark spec into spec-examples.json (run once; the JSON is committed).

    python tests/data/commonmark/extract.py path/to/commonmark-spec/spec.txt

Follows the spec's own test/spec_tests.py: an example is the Markdown
between a line of 32 backticks + " example" and a line ".", then the
expected HTML up to the closing backticks; "→" stands for a tab.
"""

import json
import sys
from pathlib import Path

FENCE = "`" * 32


def examples(spec: str) -> list[dict]:
    found, state, markdown, html, section = [], 0, [], [], ""
    for line in spec.splitlines(keepends=True):
        if state == 0 and line.startswith(FENCE + " example"):
            state, markdown, html = 1, [], []
        elif state == 1 and line.strip() == ".":
            state = 2
        elif state == 2 and line.strip() == FENCE:
            found.append({"example": len(found) + 1, "section": section,
                          "markdown": "".join(markdown).replace("→", "\t"), "html": "".join(html).replace("→", "\t")})
            state = 0
        elif state == 1:
            markdown.append(line)
        elif state == 2:
            html.append(line)
        elif state == 0 and line.startswith("#"):
            section = line.lstrip("#").strip()
    return found


if __name__ == "__main__":
    spec = Path(sys.argv[1]).read_text(encoding="utf-8")
    out = Path(__file__).with_name("spec-examples.json")
    out.write_text(json.dumps(examples(spec), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

"""Rules reported while sources are read. Each is a unit with a code, a name and docs;
the finding itself comes from ``specgen.sources``, which knows the file and the YAML."""

from __future__ import annotations

from specgen.diagnostics import Severity
from specgen.lint.rule import Rule
from specgen.sources import codes

UNREADABLE_FILE = Rule(
    codes.UNREADABLE_FILE,
    "unreadable-file",
    "A spec file cannot be read as UTF-8 text",
    """## What it does
Reports a file in the spec that cannot be read: permissions, invalid UTF-8, binary
content (NUL bytes) or a file too large to be a section.

## Why is this bad?
The section it holds is missing from the lint, the site and every diff.

## Example
```text
spec/20-refunds.md   (saved as Latin-1: "café" is byte 0xe9)
```

## Use instead
```text
spec/20-refunds.md   (saved as UTF-8)
```
""",
)

EMPTY_FILE = Rule(
    codes.EMPTY_FILE,
    "empty-file",
    "A spec file is empty",
    """## What it does
Reports a Markdown file in the spec folder that holds nothing but whitespace.

## Why is this bad?
An empty file is usually a section that was started and forgotten, or lost content.

## Example
```markdown
```

## Use instead
```markdown
---
id: refunds
title: Refunds
authority: system
---
Policy text.
```
""",
)

UNCLOSED_FRONT_MATTER = Rule(
    codes.UNCLOSED_FRONT_MATTER,
    "unclosed-front-matter",
    "Front matter is opened but never closed",
    """## What it does
Reports a file whose first line is `---` with no closing `---` line.

## Why is this bad?
Without the closing line nothing tells the YAML from the Markdown body.

## Example
```markdown
---
id: refunds
title: Refunds
Policy text.
```

## Use instead
```markdown
---
id: refunds
title: Refunds
---
Policy text.
```
""",
)

FOLDER_WITHOUT_INDEX = Rule(
    codes.FOLDER_WITHOUT_INDEX,
    "folder-without-index",
    "A section folder has no index.md",
    """## What it does
Reports a folder in the spec with no `index.md`. The folder's files are read as if they
sat in the parent folder.

## Why is this bad?
A folder is a section with sub-sections; its `index.md` is that section (id, title,
introduction). Without it the sub-sections have no parent in the navigation.

## Example
```text
spec/30-baggage/10-fees.md
spec/30-baggage/20-lost.md
```

## Use instead
```text
spec/30-baggage/index.md
spec/30-baggage/10-fees.md
spec/30-baggage/20-lost.md
```
""",
)

NESTING_TOO_DEEP = Rule(
    codes.NESTING_TOO_DEEP,
    "nesting-too-deep",
    "Sections are nested circularly or absurdly deep",
    """## What it does
Reports a folder that links back to one of its parents (a symbolic link loop) or that
sits deeper than twelve levels of sections. Such folders are not read.

## Why is this bad?
A loop would be read forever; a tree that deep cannot be navigated by a reader.

## Example
```text
spec/10-a/loop -> ../..
```

## Use instead
```text
spec/10-a/index.md
spec/10-a/10-b.md
```
""",
)

YAML_ALIAS = Rule(
    codes.YAML_ALIAS,
    "yaml-alias",
    "Front matter uses a YAML alias",
    """## What it does
Reports a YAML alias (`*name`) in front matter.

## Why is this bad?
Aliases save little typing in a spec but can make a tiny file expand to gigabytes
("billion laughs"), so specgen does not read them.

## Example
```yaml
tags: &common [under_18]
examples:
  - id: a
    flags: *common
```

## Use instead
```yaml
tags: [under_18]
examples:
  - id: a
    flags: [under_18]
```
""",
)

INVALID_CONFIG = Rule(
    codes.INVALID_CONFIG,
    "invalid-config",
    "The specgen settings in mkdocs.yml are invalid",
    """## What it does
Reports an unknown or ill-typed setting in the `specgen` plugin block of mkdocs.yml.

## Why is this bad?
A misspelt setting is silently ignored by most tools; here it would change how the
whole spec is linted and published.

## Example
```yaml
plugins:
  - specgen:
      levles: [root, user]
```

## Use instead
```yaml
plugins:
  - specgen:
      levels: [root, user]
```
""",
)

INVALID_YAML = Rule(
    codes.INVALID_YAML,
    "invalid-yaml",
    "Front matter is not valid YAML",
    """## What it does
Reports front matter that YAML cannot parse, including duplicate keys.

## Why is this bad?
Nothing in the front matter (id, title, authority, examples) can be read.

## Example
```yaml
id: refunds
title: Refunds: when and how
```

## Use instead
```yaml
id: refunds
title: "Refunds: when and how"
```
""",
)

UNKNOWN_KEY = Rule(
    codes.UNKNOWN_KEY,
    "unknown-key",
    "Front matter has a key the format does not know",
    """## What it does
Reports a key that the front matter schema does not define, suggesting the closest
known key.

## Why is this bad?
A misspelt key (`autority`) is silently lost: the policy would publish unlabeled.

## Example
```yaml
id: refunds
title: Refunds
autority: system
```

## Use instead
```yaml
id: refunds
title: Refunds
authority: system
```
""",
)

WRONG_TYPE = Rule(
    codes.WRONG_TYPE,
    "wrong-type",
    "A front matter value has the wrong type",
    """## What it does
Reports a value whose type does not match the schema, e.g. a list where text belongs.

## Why is this bad?
The value cannot be used as intended and is dropped.

## Example
```yaml
tags: under_18
```

## Use instead
```yaml
tags: [under_18]
```
""",
)

MISSING_KEY = Rule(
    codes.MISSING_KEY,
    "missing-key",
    "A required front matter key is missing",
    """## What it does
Reports a section, example, message or answer without a key it requires (a section's
`id` and `title`, an example's `id`, `caption` and `conversation`, an answer's `quality`).

## Why is this bad?
Ids make links and URLs stable; titles and captions are what readers see.

## Example
```yaml
title: Refunds
```

## Use instead
```yaml
id: refunds
title: Refunds
```
""",
)

INVALID_VALUE = Rule(
    codes.INVALID_VALUE,
    "invalid-value",
    "A front matter value is not allowed",
    """## What it does
Reports a value of the right type that the schema still refuses: an id with spaces, an
empty title, an empty conversation.

## Why is this bad?
Ids appear in URLs and links; empty values publish as blank pages and examples.

## Example
```yaml
id: Refund policy
```

## Use instead
```yaml
id: refund_policy
```
""",
)

MISSING_EVAL_FOLDER = Rule(
    codes.MISSING_EVAL_FOLDER,
    "missing-eval-folder",
    "An OpenAI-dialect spec has no examples/ folder beside it",
    """## What it does
Reports a `model_spec.md` with no `examples/` folder next to it. Every `[^abcd]` eval
reference then also lacks its prompt set (SG401).

## Why is this bad?
The eval prompts that back the spec's sentences are missing from the lint, the site and
every diff; usually the file was copied without its folder.

## Example
```text
release/model_spec.md
```

## Use instead
```text
release/model_spec.md
release/examples/abcd.md
```
""",
    severity=Severity.WARNING,
)

SYMLINK_OUTSIDE = Rule(
    codes.SYMLINK_OUTSIDE,
    "symlink-outside-project",
    "A symbolic link in the spec points outside the project",
    """## What it does
Reports a symbolic link in the spec folder (a section, `index.md`, an eval prompt set, an
image, a folder, at any depth) whose target lies outside the project: the folder of the
mkdocs.yml that configures the spec, else the spec folder itself. The link is not
followed: nothing behind it is read, linted or published. A git revision read by
`specgen diff` or the versioned build reports the links it leaves out the same way.

## Why is this bad?
Everything in a spec is published: a link to `/etc/passwd` or to a private file of the
machine that builds the site would copy that file into the pages and the search index.

## Example
```text
spec/20-refunds.md -> /home/ci/notes/refunds.md
spec/eval-prompts -> ../../shared-evals
```

## Use instead
```text
spec/20-refunds.md   (the file itself, committed with the spec)
spec/eval-prompts/   (a folder of the project, or a link to one inside it)
```
""",
)

UNCLOSED_EXAMPLE = Rule(
    codes.UNCLOSED_EXAMPLE,
    "unclosed-example",
    "A conversation block or tag is never closed",
    """## What it does
Reports, in the OpenAI dialect, a `~~~xml` example block without its closing `~~~`, a
`<user>`, `<assistant>` or `<comparison>` tag without its closing tag, or a code fence in
the text never closed. The block ends at the next heading or example; the message at the
next turn; an open code fence runs to the end of the file.

## Why is this bad?
Everything after the opening would otherwise be swallowed into one example or message.

## Example
```markdown
**Example**: a greeting

~~~xml
<user>
Hi
</user>
```

## Use instead
```markdown
**Example**: a greeting

~~~xml
<user>
Hi
</user>
~~~
```
""",
)

UNKNOWN_TAG = Rule(
    codes.UNKNOWN_TAG,
    "unknown-tag",
    "A conversation block holds an unknown tag or stray text",
    """## What it does
Reports, in an OpenAI-dialect conversation block, a tag other than system, developer,
user, assistant, tool, comparison (and settings, untrusted inside messages), text
outside any message, or a non-assistant message inside `<comparison>`.

## Why is this bad?
The text would be dropped from the conversation, or shown as something it is not.

## Example
```xml
<customer>
Where is my bag?
</customer>
```

## Use instead
```xml
<user>
Where is my bag?
</user>
```
""",
)

MISMATCHED_TAG = Rule(
    codes.MISMATCHED_TAG,
    "mismatched-tag",
    "A closing tag closes nothing",
    """## What it does
Reports a closing tag such as `</user>` in a conversation block with no matching opening
tag before it.

## Why is this bad?
It usually means an opening tag was misspelt or deleted, and the message is lost.

## Example
```xml
<user>
Hi
</user>
</assistant>
```

## Use instead
```xml
<user>
Hi
</user>
```
""",
)

HEADING_WITHOUT_ID = Rule(
    codes.HEADING_WITHOUT_ID,
    "heading-without-id",
    "An OpenAI-dialect heading has no {#id}",
    """## What it does
Reports, in the OpenAI dialect, a heading without `{#id}` (it stays text in the body of
the section above), and text or examples before the first section.

## Why is this bad?
Sections are addressed by id in links and URLs; a heading without one is no section.

## Example
```markdown
## Respect privacy
```

## Use instead
```markdown
## Respect privacy {#protect_privacy authority=root}
```
""",
)

EXAMPLE_WITHOUT_CONVERSATION = Rule(
    codes.EXAMPLE_WITHOUT_CONVERSATION,
    "example-without-conversation",
    "An example caption without its conversation block",
    """## What it does
Reports a `**Example**:` caption that is not followed by a `~~~xml` block.

## Why is this bad?
The caption announces an example that does not exist; the line is kept as body text.

## Example
```markdown
**Example**: a greeting

The assistant says hello.
```

## Use instead
```markdown
**Example**: a greeting

~~~xml
<user>
Hi
</user>
~~~
```
""",
)

UNKNOWN_HEADING_ATTRIBUTE = Rule(
    codes.UNKNOWN_HEADING_ATTRIBUTE,
    "unknown-heading-attribute",
    "A heading attribute other than authority or tags",
    """## What it does
Reports an attribute in a heading's `{#id ...}` other than `authority=` and `tags=`,
with the closest known one.

## Why is this bad?
A misspelt `autority=` silently leaves the policy without a level.

## Example
```markdown
## Be honest {#be_honest autority=root}
```

## Use instead
```markdown
## Be honest {#be_honest authority=root}
```
""",
)

RULES = (
    UNREADABLE_FILE,
    EMPTY_FILE,
    UNCLOSED_FRONT_MATTER,
    FOLDER_WITHOUT_INDEX,
    NESTING_TOO_DEEP,
    YAML_ALIAS,
    INVALID_CONFIG,
    MISSING_EVAL_FOLDER,
    SYMLINK_OUTSIDE,
    UNCLOSED_EXAMPLE,
    UNKNOWN_TAG,
    MISMATCHED_TAG,
    HEADING_WITHOUT_ID,
    EXAMPLE_WITHOUT_CONVERSATION,
    UNKNOWN_HEADING_ATTRIBUTE,
    INVALID_YAML,
    UNKNOWN_KEY,
    WRONG_TYPE,
    MISSING_KEY,
    INVALID_VALUE,
)

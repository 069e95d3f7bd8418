"""How result rows show themselves: aligned text for repr(), HTML for Jupyter."""

import html


def text_table(header, rows):
    """Aligned columns for __repr__ and __str__ (None shows as "-")."""
    cells = [header] + [["-" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells)


def html_table(header, rows, total, what="rows"):
    """An HTML table of the rows shown, and how many of `total` were left out."""
    out = ["<table><thead><tr>"]
    out += ["<th>%s</th>" % html.escape(h) for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>%s</tr>" % "".join(
            "<td>%s</td>" % html.escape("" if v is None else str(v)) for v in row))
    out.append("</tbody></table>")
    if total > len(rows):
        out.append("<p>... %d more %s</p>" % (total - len(rows), what))
    return "".join(out)

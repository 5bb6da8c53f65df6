using BaiQianWan.Assess.Scorecards.Layout;
using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>How a column aligns its text.</summary>
internal enum Align { Left, Right, Center }

/// <summary>A table column. A grouping column prints its value only where it changes and at the top of a page.</summary>
internal sealed record Column(string Title, double Width, Align Align = Align.Left, bool Group = false);

/// <summary>A cell: its text and, optionally, a smaller second line (e.g. the points lost).</summary>
internal sealed record Cell(string Text, XColor Color, bool Bold = false, string? Note = null, XColor NoteColor = default, XColor? Fill = null)
{
    public static implicit operator Cell(string text) => new(text, Theme.Text);
}

/// <summary>
/// A table that flows onto further pages, repeating its header row on each. Rows never split across pages.
/// </summary>
internal sealed class Table(Canvas canvas, IReadOnlyList<Column> columns, double size = Theme.Cell, double noteSize = Theme.CellNote)
{
    private const double PadX = 3;
    private const double PadY = 3;

    public void Draw(IEnumerable<IReadOnlyList<Cell>> rows)
    {
        DrawHeader();
        var stripe = false;
        string?[] lastGroup = new string?[columns.Count];
        foreach (var row in rows)
        {
            var layout = Layout(row);
            if (canvas.Ensure(layout.Height))
            {
                DrawHeader();
                Array.Clear(lastGroup);
            }
            var top = canvas.Y;
            var x = Theme.MarginX;
            var groupChanged = false;
            for (var c = 0; c < columns.Count; c++)
                if (columns[c].Group && lastGroup[c] != row[c].Text) groupChanged = true;
            if (stripe) canvas.Fill(Theme.Stripe, Theme.MarginX, top, Theme.ContentWidth, layout.Height);
            stripe = !stripe;
            for (var c = 0; c < columns.Count; c++)
            {
                var col = columns[c];
                var cell = row[c];
                if (cell.Fill is { } fill) canvas.Fill(fill, x, top, col.Width, layout.Height);
                var show = !col.Group || lastGroup[c] != cell.Text;
                if (col.Group) lastGroup[c] = cell.Text;
                if (show) DrawLines(layout.Lines[c], cell.Color, cell.Bold, size, x, top + PadY, col);
                if (cell.Note is { Length: > 0 } note)
                {
                    var noteTop = top + PadY + layout.Lines[c].Count * canvas.LineHeight(size);
                    DrawLines(canvas.Wrap(note, noteSize, col.Width - 2 * PadX), cell.NoteColor, false, noteSize, x, noteTop, col);
                }
                x += col.Width;
            }
            var ruleX = Theme.MarginX;
            if (groupChanged)
                canvas.Line(Theme.Muted, 0.6, ruleX, top, Theme.MarginX + Theme.ContentWidth, top);
            canvas.Line(Theme.Rule, 0.3, Theme.MarginX, top + layout.Height, Theme.MarginX + Theme.ContentWidth, top + layout.Height);
            canvas.Y = top + layout.Height;
        }
    }

    private void DrawLines(List<string> lines, XColor color, bool bold, double fontSize, double x, double top, Column col)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var y = top + i * canvas.LineHeight(fontSize);
            switch (col.Align)
            {
                case Align.Right: canvas.TextRight(lines[i], fontSize, color, x + col.Width - PadX, y, bold); break;
                case Align.Center: canvas.TextCentered(lines[i], fontSize, color, x + col.Width / 2, y, bold); break;
                default: canvas.Text(lines[i], fontSize, color, x + PadX, y, bold); break;
            }
        }
    }

    private (List<string>[] Lines, double Height) Layout(IReadOnlyList<Cell> row)
    {
        var lines = new List<string>[columns.Count];
        var height = 0.0;
        for (var c = 0; c < columns.Count; c++)
        {
            lines[c] = canvas.Wrap(row[c].Text, size, columns[c].Width - 2 * PadX);
            var h = lines[c].Count * canvas.LineHeight(size);
            if (row[c].Note is { Length: > 0 } note)
                h += canvas.Wrap(note, noteSize, columns[c].Width - 2 * PadX).Count * canvas.LineHeight(noteSize);
            height = Math.Max(height, h);
        }
        return (lines, height + 2 * PadY);
    }

    private void DrawHeader()
    {
        var height = 0.0;
        var wrapped = columns.Select(c => canvas.Wrap(c.Title, size, c.Width - 2 * PadX)).ToArray();
        foreach (var w in wrapped) height = Math.Max(height, w.Count * canvas.LineHeight(size));
        height += 2 * PadY;
        canvas.Ensure(height + 3 * canvas.LineHeight(size));
        var top = canvas.Y;
        canvas.Fill(Theme.HeaderFill, Theme.MarginX, top, Theme.ContentWidth, height);
        var x = Theme.MarginX;
        for (var c = 0; c < columns.Count; c++)
        {
            DrawLines(wrapped[c], Theme.Text, true, size, x, top + PadY, columns[c] with { Align = columns[c].Align == Align.Left ? Align.Left : Align.Center });
            x += columns[c].Width;
        }
        canvas.Line(Theme.Muted, 0.6, Theme.MarginX, top + height, Theme.MarginX + Theme.ContentWidth, top + height);
        canvas.Y = top + height;
    }
}

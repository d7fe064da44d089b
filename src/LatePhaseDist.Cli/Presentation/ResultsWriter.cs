using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LatePhaseDist.Cli.Runs;
using Spectre.Console;

namespace LatePhaseDist.Cli.Presentation;

/// <summary>Shows a run's results as a console table, and saves them as Markdown and JSON.</summary>
internal static class ResultsWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    /// <summary>Prints the results table.</summary>
    public static void Print(IAnsiConsole console, RunResults results)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(ResultsFormat.Headers[0]);
        foreach (string header in ResultsFormat.Headers.Skip(1))
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (ResultRow row in results.Rows())
        {
            table.AddRow([Markup.Escape(row.Label), .. ResultsFormat.Cells(row.Metrics).Select(Markup.Escape)]);
        }

        console.Write(table);
        console.WriteLine(ResultsFormat.Caption(results, SampleCount(results)), Style.Plain);
    }

    /// <summary>The results as a Markdown document: the table, then one row per member.</summary>
    public static string Markdown(RunResults results)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Results: {results.Name}").AppendLine();
        text.AppendLine(ResultsFormat.Caption(results, SampleCount(results)) + ".").AppendLine();
        AppendTable(text, results.Rows().Select(r => (r.Label, ResultsFormat.Cells(r.Metrics))));
        if (results.Members.Count > 1)
        {
            text.AppendLine().AppendLine("## Members").AppendLine();
            AppendTable(text, results.Members.Select((m, k) => ($"member {k}", ResultsFormat.Cells(m))));
        }

        return text.ToString();
    }

    /// <summary>Writes <c>results.md</c> and <c>results.json</c>.</summary>
    public static void Save(RunLayout layout, RunResults results)
    {
        File.WriteAllText(layout.ResultsMarkdown, Markdown(results));
        File.WriteAllText(layout.ResultsJson, JsonSerializer.Serialize(results, JsonOptions));
    }

    private static void AppendTable(StringBuilder text, IEnumerable<(string Label, IReadOnlyList<string> Cells)> rows)
    {
        text.AppendLine("| " + string.Join(" | ", ResultsFormat.Headers) + " |");
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", ResultsFormat.Headers.Count - 1)));
        foreach ((string label, IReadOnlyList<string> cells) in rows)
        {
            text.AppendLine($"| {label} | {string.Join(" | ", cells)} |");
        }
    }

    private static long SampleCount(RunResults results) =>
        results.Rows().Select(r => r.Metrics.Count).DefaultIfEmpty(0).Max();
}

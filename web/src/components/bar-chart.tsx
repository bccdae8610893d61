/** One bar: the label under it, its value (for the height), its short figure above it, and its full words. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  /** A short figure shown above the bar, e.g. "¥1.2万". */
  shortText: string;
  /** The label and the exact amount, for screen readers and the tooltip, e.g. "2027年第1季度：¥12,000.00". */
  description: string;
  /** The exact amount for the table alternative. */
  valueText: string;
}

/**
 * A bar chart in plain CSS (styles.css .bars): no chart library, and nothing only the eye can read — each
 * bar is an image with its words, and a visually hidden table holds the same figures for screen readers.
 */
export function BarChart({ bars, caption, labelHeader, valueHeader, testId }: { bars: Bar[]; caption: string; labelHeader: string; valueHeader: string; testId?: string }) {
  const highest = Math.max(0, ...bars.map((bar) => bar.value));
  // The figure above each bar needs room in the column: the tallest bar fills 85% of it.
  const heightOf = (value: number) => (highest > 0 ? `${Math.round((value / highest) * 850) / 10}%` : '0%');
  return (
    <figure class="bar-chart" data-testid={testId}>
      <figcaption class="hint">{caption}</figcaption>
      <div class="bars">
        {bars.map((bar) => (
          <div key={bar.key} class="bar-column">
            <span class="bar-value" aria-hidden="true">{bar.shortText}</span>
            <div class="bar" role="img" aria-label={bar.description} title={bar.description} data-value={bar.value} style={{ height: heightOf(bar.value) }} />
          </div>
        ))}
      </div>
      <div class="bars-labels" aria-hidden="true">
        {bars.map((bar) => (
          <span key={bar.key}>{bar.label}</span>
        ))}
      </div>
      <table class="sr-only">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            <th scope="col">{valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key}>
              <th scope="row">{bar.label}</th>
              <td>{bar.valueText}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

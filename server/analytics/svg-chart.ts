/**
 * Bar charts drawn on the server as inline SVG: no script, no library. Colours come from the page
 * (currentColor and classes styled in public/styles.css with its custom properties), so a chart
 * follows dark mode and prints in ink. Every text is escaped; the numbers are also in a table beside
 * the chart (the template's job), which is what screen readers are pointed to.
 */

export interface BarChart {
  /** Read first by assistive technology (<title>). */
  title: string;
  /** One sentence saying what is drawn and where the same numbers are in a table (<desc>). */
  description: string;
  bars: readonly { label: string; value: number }[];
  /** How a value reads on the axis and over a bar: "12", "$75 CAD". */
  format?: (value: number) => string;
}

const WIDTH = 640;
const HEIGHT = 240;
const LEFT = 116;
const RIGHT = 8;
const TOP = 20;
const BOTTOM = 40;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const round = (value: number) => Math.round(value * 10) / 10;

/** A "nice" top of the axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function axisTop(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= max)!;
}

/** The chart as one <svg> element, sized by its container (viewBox), with role="img", <title> and <desc>. */
export function barChartSvg(chart: BarChart, id: string): string {
  const format = chart.format ?? String;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const min = Math.min(0, ...chart.bars.map((bar) => bar.value));
  const max = axisTop(Math.max(0, ...chart.bars.map((bar) => bar.value)));
  const low = min < 0 ? -axisTop(-min) : 0;
  const y = (value: number) => round(TOP + ((max - value) / (max - low)) * plotHeight);
  const slot = plotWidth / Math.max(chart.bars.length, 1);
  const barWidth = round(Math.max(slot * 0.7, 1));
  // Up to 10 labels under the bars, so 90 days stay readable; the table has every one.
  const labelEvery = Math.ceil(chart.bars.length / 10);
  const valueLabels = chart.bars.length <= 16;
  const parts = [
    `<svg class="chart" id="${escapeXml(id)}" role="img" aria-labelledby="${escapeXml(id)}-title ${escapeXml(id)}-desc" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${escapeXml(id)}-title">${escapeXml(chart.title)}</title>`,
    `<desc id="${escapeXml(id)}-desc">${escapeXml(chart.description)}</desc>`,
    `<g class="chart-axis" aria-hidden="true">`,
    `<line x1="${LEFT}" y1="${y(0)}" x2="${WIDTH - RIGHT}" y2="${y(0)}" stroke="currentColor"/>`,
    `<text x="${LEFT - 6}" y="${y(max) + 4}" text-anchor="end">${escapeXml(format(max))}</text>`,
    `<text x="${LEFT - 6}" y="${y(0) + 4}" text-anchor="end">${escapeXml(format(0))}</text>`,
    low < 0 ? `<text x="${LEFT - 6}" y="${y(low) + 4}" text-anchor="end">${escapeXml(format(low))}</text>` : '',
    `</g>`,
    `<g class="chart-bars" aria-hidden="true">`,
  ];
  chart.bars.forEach((bar, index) => {
    const x = round(LEFT + index * slot + (slot - barWidth) / 2);
    const top = Math.min(y(bar.value), y(0));
    const height = round(Math.abs(y(bar.value) - y(0)));
    const middle = round(x + barWidth / 2);
    parts.push(`<rect x="${x}" y="${top}" width="${barWidth}" height="${height}" fill="currentColor"/>`);
    if (valueLabels && bar.value !== 0) parts.push(`<text class="chart-value" x="${middle}" y="${top - 4}" text-anchor="middle">${escapeXml(format(bar.value))}</text>`);
    if (index % labelEvery === 0) parts.push(`<text class="chart-label" x="${middle}" y="${HEIGHT - BOTTOM + 26}" text-anchor="middle">${escapeXml(bar.label)}</text>`);
  });
  parts.push('</g>', '</svg>');
  return parts.filter(Boolean).join('');
}

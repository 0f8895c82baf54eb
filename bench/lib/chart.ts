/** One SVG line chart: p99 latency (ms) of each API's seed operation against underlying rows (log scale). */
export interface Series {
  label: string;
  dashed: boolean;
  color: string;
  points: Array<{ rows: number; ms: number }>;
}

export function latencyChart(series: Series[], title: string): string {
  const w = 720;
  const h = 400;
  const pad = { l: 60, r: 200, t: 40, b: 50 };
  const all = series.flatMap((s) => s.points).filter((p) => p.rows > 0);
  const minX = Math.log10(Math.min(...all.map((p) => p.rows), 1e4));
  const maxX = Math.log10(Math.max(...all.map((p) => p.rows), 1e6));
  const maxY = Math.max(25, ...all.map((p) => p.ms)) * 1.1;
  const x = (rows: number) => pad.l + ((Math.log10(rows) - minX) / Math.max(maxX - minX, 1e-9)) * (w - pad.l - pad.r);
  const y = (ms: number) => h - pad.b - (ms / maxY) * (h - pad.t - pad.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<title>${title}</title>`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${pad.l}" y="24" font-size="14">${title}</text>`,
    `<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#333"/>`,
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${h - pad.b}" stroke="#333"/>`,
    `<text x="${(pad.l + w - pad.r) / 2}" y="${h - 12}" text-anchor="middle">underlying rows (log scale)</text>`,
    `<text x="16" y="${(pad.t + h - pad.b) / 2}" transform="rotate(-90 16 ${(pad.t + h - pad.b) / 2})" text-anchor="middle">p99 ms, sequential</text>`,
  ];
  for (let e = Math.ceil(minX); e <= Math.floor(maxX); e++) {
    out.push(
      `<line x1="${x(10 ** e)}" y1="${h - pad.b}" x2="${x(10 ** e)}" y2="${h - pad.b + 5}" stroke="#333"/>`,
      `<text x="${x(10 ** e)}" y="${h - pad.b + 18}" text-anchor="middle">${(10 ** e).toLocaleString('en-US')}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const ms = (maxY / 5) * i;
    out.push(
      `<line x1="${pad.l - 5}" y1="${y(ms)}" x2="${w - pad.r}" y2="${y(ms)}" stroke="#eee"/>`,
      `<text x="${pad.l - 8}" y="${y(ms) + 4}" text-anchor="end">${ms.toFixed(0)}</text>`,
    );
  }
  out.push(
    `<line x1="${pad.l}" y1="${y(20)}" x2="${w - pad.r}" y2="${y(20)}" stroke="#c00" stroke-dasharray="2 3"/>`,
    `<text x="${w - pad.r - 4}" y="${y(20) - 4}" text-anchor="end" fill="#c00">target 20 ms</text>`,
  );
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => p.rows > 0).sort((a, b) => a.rows - b.rows);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map((p) => `${x(p.rows).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ')}"/>`,
      ...pts.map((p) => `<circle cx="${x(p.rows).toFixed(1)}" cy="${y(p.ms).toFixed(1)}" r="3" fill="${s.color}"/>`),
      `<line x1="${w - pad.r + 12}" y1="${pad.t + 16 * i}" x2="${w - pad.r + 36}" y2="${pad.t + 16 * i}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${w - pad.r + 42}" y="${pad.t + 16 * i + 4}">${s.label}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The page's interaction: one floating tooltip, and keyboard-focusable marks that show it (hover and focus). */
import * as d3 from 'd3';

export interface Tooltip {
  show: (event: Event, lines: string[]) => void;
  hide: () => void;
}

/** The one floating tooltip of the page; lines are set as text, the first in bold. */
export function tooltip(): Tooltip {
  let tip = d3.select<HTMLDivElement, unknown>('body > div.tooltip');
  if (tip.empty())
    tip = d3.select('body').append('div').attr('class', 'tooltip').attr('role', 'status').attr('aria-live', 'polite');
  return {
    show(event: Event, lines: string[]) {
      tip
        .selectAll('div')
        .data(lines)
        .join('div')
        .text((d) => d);
      tip.classed('visible', true);
      const node = tip.node();
      if (!node) return;
      let x: number;
      let y: number;
      if (event instanceof MouseEvent) {
        x = event.clientX;
        y = event.clientY;
      } else {
        const box = (event.target as Element).getBoundingClientRect();
        x = box.left + box.width / 2;
        y = box.bottom;
      }
      const { width, height } = node.getBoundingClientRect();
      const left = Math.max(8, Math.min(window.innerWidth - width - 8, x + 14));
      const top = y + 16 + height > window.innerHeight ? y - height - 12 : y + 16;
      tip.style('left', `${left}px`).style('top', `${Math.max(8, top)}px`);
    },
    hide() {
      tip.classed('visible', false);
    },
  };
}

/** Makes an SVG element keyboard-focusable with an accessible label, and shows the tooltip on hover and focus. */
export function describe<E extends d3.BaseType, T, P extends d3.BaseType>(
  selection: d3.Selection<E, T, P, unknown>,
  tip: Tooltip,
  lines: (d: T) => string[],
): void {
  selection
    .attr('tabindex', 0)
    .attr('role', 'img')
    .attr('aria-label', (d) => lines(d).join('; '))
    .on('mouseenter mousemove focus', (event: Event, d) => tip.show(event, lines(d)))
    .on('mouseleave blur', () => tip.hide());
}

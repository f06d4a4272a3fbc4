/** `tra auxiliary`'s rankings, one block per main task, each drawn as the auxiliary section draws one. */
import { drawAuxiliary } from './auxiliary.js';
import type { AuxiliaryCandidates } from '../views/auxiliaryCandidates.js';

export function drawAuxiliaryCandidates(container: HTMLElement, data: AuxiliaryCandidates): void {
  for (const [k, ranking] of data.rankings.entries()) {
    const block = container.appendChild(document.createElement('div'));
    block.className = 'auxiliary-main';
    const heading = block.appendChild(document.createElement('h3'));
    heading.textContent = `For ${ranking.main}`;
    drawAuxiliary(block, ranking, `auxiliary-candidates-${k + 1}`);
  }
}

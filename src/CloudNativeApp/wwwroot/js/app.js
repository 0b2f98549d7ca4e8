// Entry point: wires the page's features together.
import { initItems } from './items.js';
import { initCalculator } from './calculator.js';

const notice = document.getElementById('notice');
let hideTimer = 0;

/** A short message in the page's live region, read out by screen readers. */
function notify(message, kind = 'info') {
  clearTimeout(hideTimer);
  notice.textContent = message;
  notice.className = `notice notice--${kind} notice--visible`;
  hideTimer = setTimeout(() => notice.classList.remove('notice--visible'), kind === 'error' ? 15000 : 6000);
}

initItems({ notify });
initCalculator();

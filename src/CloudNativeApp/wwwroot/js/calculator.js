// The calculator: two numbers in, sum, product, difference and quotient out.
import { calculatorApi } from './api.js';
import { showFieldErrors, clearFieldErrors, showMessage, describeError } from './forms.js';

// JSON's number grammar: the API reads the numbers exactly as typed (as decimals), so they are sent as typed.
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

export function initCalculator() {
  const form = document.getElementById('calculator-form');
  const error = document.getElementById('calculator-error');
  const result = document.getElementById('calculator-result');
  const submit = form.querySelector('button[type="submit"]');
  const fields = { number1: document.getElementById('number1'), number2: document.getElementById('number2') };

  function normalise(text) {
    // People type "1,5", ".5", "+2" or "1 000"; the API wants JSON numbers.
    let value = text.trim().replace(/\s+/g, '').replace(',', '.').replace(/^\+/, '');
    value = value.replace(/^(-?)\./, '$10.');
    return JSON_NUMBER.test(value) ? value : null;
  }

  function showResult(data) {
    for (const dd of result.querySelectorAll('[data-result]')) {
      dd.textContent = data ? String(data[dd.dataset.result]) : '–';
    }
    result.classList.toggle('results--empty', !data);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(fields);
    showMessage(error, '');

    const numbers = {};
    const invalid = {};
    for (const [name, input] of Object.entries(fields)) {
      numbers[name] = normalise(input.value);
      if (numbers[name] === null) {
        invalid[name] = [input.value.trim() ? 'Enter a number, such as 12 or -3.5.' : 'Enter a number.'];
      }
    }
    if (Object.keys(invalid).length) {
      showFieldErrors(fields, invalid);
      showResult(null);
      return;
    }

    submit.disabled = true;
    result.setAttribute('aria-busy', 'true');
    try {
      showResult(await calculatorApi.calculate(numbers.number1, numbers.number2));
    } catch (failure) {
      showResult(null);
      const unclaimed = showFieldErrors(fields, failure.errors);
      if (unclaimed.length || !Object.keys(failure.errors ?? {}).length) {
        showMessage(error, unclaimed.length ? unclaimed.join(' ') : describeError(failure));
      }
    } finally {
      submit.disabled = false;
      result.removeAttribute('aria-busy');
    }
  });

  showResult(null);
}

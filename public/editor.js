// The thesis editor's enhancements; the form works the same without them (progressive enhancement).
// Loaded with <script src> (no inline script under the CSP).
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) return;

  // Textareas grow with their text: CSS does it where field-sizing is supported, this elsewhere.
  if (!(window.CSS && CSS.supports('field-sizing', 'content'))) {
    var grow = function (area) {
      area.style.height = 'auto';
      area.style.height = area.scrollHeight + 2 + 'px';
    };
    form.querySelectorAll('textarea').forEach(grow);
    form.addEventListener('input', function (event) {
      if (event.target.tagName === 'TEXTAREA') grow(event.target);
    });
  }

  // Word counts, the same rule as the server's (server/catalog/word-count.ts), so typing never
  // changes a count the server would give differently.
  var WORD = /[\p{L}\p{N}]+(?:['’.,-][\p{L}\p{N}]+)*/gu;
  var number = new Intl.NumberFormat('en-CA');
  var countOf = function (text) { return (text.match(WORD) || []).length; };
  var wordsText = function (words) { return number.format(words) + (words === 1 ? ' word' : ' words'); };
  var total = document.querySelector('[data-word-total]');

  function recount(area) {
    var holder = area.closest('.editor-row, fieldset');
    var count = holder && holder.querySelector('[data-word-count]');
    if (count) count.textContent = wordsText(countOf(area.value));
    if (total) {
      var sum = 0;
      form.querySelectorAll('textarea[data-words="total"]').forEach(function (field) { sum += countOf(field.value); });
      total.textContent = wordsText(sum);
    }
  }
  form.addEventListener('input', function (event) {
    if (event.target.matches('textarea[data-words]')) recount(event.target);
  });
})();

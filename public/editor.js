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

  // "Add row": a copy of the group's last row, emptied. Without the script the server's spare blank
  // rows do the same, so the button only exists when the script runs.
  form.querySelectorAll('fieldset[data-add-row]').forEach(function (fieldset) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button add-row';
    button.textContent = fieldset.getAttribute('data-add-row');
    fieldset.appendChild(button);
    button.addEventListener('click', function () {
      var rows = fieldset.querySelectorAll('.editor-row');
      var last = rows[rows.length - 1];
      var row = last.cloneNode(true);
      row.querySelectorAll('input, textarea').forEach(function (field) { field.value = ''; });
      row.querySelectorAll('select').forEach(function (field) { field.selectedIndex = 0; });
      // A copied row starts clean: no message or mark from a refused save of the row it copies.
      row.querySelectorAll('.field-error').forEach(function (message) { message.remove(); });
      row.querySelectorAll('[aria-invalid]').forEach(function (field) {
        field.removeAttribute('aria-invalid');
        var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return !/-error$/.test(id); }).join(' ');
        if (described) field.setAttribute('aria-describedby', described); else field.removeAttribute('aria-describedby');
      });
      row.querySelectorAll('[id]').forEach(function (node) {
        var id = node.id + '-new' + rows.length;
        var describer = row.querySelector('[aria-describedby="' + node.id + '"]');
        if (describer) describer.setAttribute('aria-describedby', id);
        node.id = id;
      });
      row.querySelectorAll('[data-word-count]').forEach(function (count) { count.textContent = wordsText(0); });
      last.after(row);
      row.querySelector('input:not([type=hidden]), textarea').focus();
    });
  });

  // Leaving with unsaved changes asks first (Publish too: it would drop them); Save is leaving on purpose.
  var dirty = false;
  form.addEventListener('input', function () { dirty = true; });
  form.addEventListener('change', function () { dirty = true; });
  form.addEventListener('submit', function () { dirty = false; });
  // An autosave (editor-autosave.js) stored exactly what the form holds.
  form.addEventListener('editor:saved', function () { dirty = false; });
  window.addEventListener('beforeunload', function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = ''; // older browsers ask only when this is set
  });
})();

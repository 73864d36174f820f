// Write | Preview tabs above each Markdown box of the thesis editor (Ghost's editor is the model).
// Without this script the boxes stand alone and the full-page "Preview" links do the job.
// Preview asks the server to render (POST /admin/theses/markdown-preview.json): the same renderer and
// sanitiser as the public page, so only sanitised HTML is ever inserted here.
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) return;

  var MARKDOWN = 'textarea[name=publicBody], textarea[name=memberBody], textarea[name=membersExcerpt], textarea[name=publicClosing]';
  var ENDPOINT = '/admin/theses/markdown-preview.json';
  var csrf = form.querySelector('input[name=_csrf]');
  // Tab lists built here. "Add row" (editor.js) copies a row with its tab list; a copy is not in
  // this set, so it is given fresh ids and reset to Write when it appears (see the observer below).
  var built = new WeakSet();
  var serial = 0;
  var freshId = function (part) { serial += 1; return 'markdown-' + part + '-' + serial; };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function partsOf(field) {
    var tabs = field.querySelectorAll('[role=tab]');
    var label = field.previousElementSibling;
    return {
      field: field,
      write: tabs[0],
      preview: tabs[1],
      writePanel: field.querySelector('.markdown-write'),
      previewPanel: field.querySelector('.markdown-preview'),
      area: field.querySelector('textarea'),
      label: label && label.matches('label[data-markdown-label]') ? label : null,
    };
  }

  /** Ids, and the references between tabs, panels and the box's label, made unique for this field. */
  function link(parts) {
    parts.write.id = freshId('write');
    parts.preview.id = freshId('preview');
    parts.writePanel.id = freshId('write-panel');
    parts.previewPanel.id = freshId('preview-panel');
    parts.write.setAttribute('aria-controls', parts.writePanel.id);
    parts.preview.setAttribute('aria-controls', parts.previewPanel.id);
    parts.writePanel.setAttribute('aria-labelledby', parts.write.id);
    parts.previewPanel.setAttribute('aria-labelledby', parts.preview.id);
    if (parts.label) {
      parts.area.id = freshId('box');
      parts.label.htmlFor = parts.area.id;
    }
  }

  /** Wraps one Markdown box in a tab list and two panels; the box itself (name, value, labels) is kept. */
  function enhance(area) {
    var field = element('div', 'markdown-field');
    var tabs = element('div', 'markdown-tabs');
    tabs.setAttribute('role', 'tablist');
    tabs.setAttribute('aria-label', 'Write or preview the Markdown');
    ['Write', 'Preview'].forEach(function (name) {
      var tab = element('button', 'markdown-tab', name);
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tabs.appendChild(tab);
    });
    var writePanel = element('div', 'markdown-write');
    var previewPanel = element('div', 'prose markdown-preview');
    [writePanel, previewPanel].forEach(function (panel) { panel.setAttribute('role', 'tabpanel'); });
    previewPanel.tabIndex = 0; // reachable by keyboard, and scrollable, when it holds no link
    field.append(tabs, writePanel, previewPanel);
    built.add(tabs);

    // A box inside its <label> (a members' section) moves out of it, under the tabs; the label then
    // names it with for=, so the buttons do not become part of the box's name.
    var label = area.parentElement.tagName === 'LABEL' ? area.parentElement : null;
    if (label) {
      label.setAttribute('data-markdown-label', '');
      label.after(field);
    } else {
      area.before(field);
    }
    writePanel.appendChild(area);
    var parts = partsOf(field);
    link(parts);
    show(parts, false);
  }

  /** A copy made by "Add row": its own ids, the Write tab, an empty preview. */
  function adopt(field) {
    built.add(field.querySelector('.markdown-tabs'));
    var parts = partsOf(field);
    link(parts);
    parts.previewPanel.replaceChildren();
    show(parts, false);
  }

  function show(parts, previewing) {
    [[parts.write, !previewing], [parts.preview, previewing]].forEach(function (pair) {
      pair[0].setAttribute('aria-selected', String(pair[1]));
      pair[0].tabIndex = pair[1] ? 0 : -1; // one tab stop for the list; arrows move within it
    });
    parts.writePanel.hidden = previewing;
    parts.previewPanel.hidden = !previewing;
    if (previewing) render(parts);
  }

  function note(panel, text, failed) {
    panel.replaceChildren(element('p', failed ? 'markdown-preview-note error' : 'markdown-preview-note', text));
  }

  function render(parts) {
    var panel = parts.previewPanel;
    var markdown = parts.area.value;
    // Only the latest request may fill the panel: an older answer arriving late is dropped.
    var ticket = String(++serial);
    panel.setAttribute('data-ticket', ticket);
    panel.removeAttribute('aria-busy');
    if (markdown.trim() === '') return note(panel, 'Nothing to preview yet: write something first.');
    note(panel, 'Rendering…');
    panel.setAttribute('aria-busy', 'true');
    var current = function () { return panel.getAttribute('data-ticket') === ticket; };
    fetch(ENDPOINT, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      body: new URLSearchParams({ markdown: markdown, _csrf: csrf ? csrf.value : '' }),
    })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) { return { ok: res.ok, body: body }; });
      })
      .then(function (answer) {
        if (!current()) return;
        if (answer.ok && typeof answer.body.html === 'string') {
          panel.innerHTML = answer.body.html; // sanitised by the server (catalog/markdown.ts)
          if (panel.childElementCount === 0) note(panel, 'Nothing to show: this text renders to nothing.');
        } else {
          note(panel, 'The preview could not be shown: ' + (answer.body.error || 'the site gave no usable answer. Try again.'), true);
        }
      }, function () {
        if (current()) note(panel, 'The preview could not be shown: the site did not answer. Check the connection, then choose Preview again.', true);
      })
      .finally(function () {
        if (current()) panel.removeAttribute('aria-busy');
      });
  }

  // Preview chosen again renders again (after a failed attempt, say); Write chosen again does nothing.
  function select(tab) {
    var parts = partsOf(tab.closest('.markdown-field'));
    if (tab === parts.write && tab.getAttribute('aria-selected') === 'true') return;
    show(parts, tab === parts.preview);
  }

  form.querySelectorAll(MARKDOWN).forEach(enhance);

  form.addEventListener('click', function (event) {
    var tab = event.target.closest('.markdown-tabs [role=tab]');
    if (tab) select(tab);
  });

  // The WAI-ARIA tabs pattern: arrows (and Home, End) move between the tabs and select the one reached.
  form.addEventListener('keydown', function (event) {
    var tab = event.target.closest('.markdown-tabs [role=tab]');
    if (!tab) return;
    var tabs = Array.prototype.slice.call(tab.parentElement.querySelectorAll('[role=tab]'));
    var index = tabs.indexOf(tab);
    var to = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    var next = tabs[(to + tabs.length) % tabs.length];
    next.focus();
    select(next);
  });

  /** The node and the nodes under it that match. */
  function within(node, selector) {
    var found = Array.prototype.slice.call(node.querySelectorAll(selector));
    return node.matches(selector) ? [node].concat(found) : found;
  }

  // Rows added after load (editor.js's "Add row" copies the last row, tabs and all).
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType !== Node.ELEMENT_NODE) return;
        within(node, '.markdown-tabs').forEach(function (tabs) {
          if (!built.has(tabs)) adopt(tabs.closest('.markdown-field'));
        });
        // A row added without tabs (not a copy of an enhanced one) gets them here.
        within(node, MARKDOWN).forEach(function (area) {
          if (!area.closest('.markdown-field')) enhance(area);
        });
      });
    });
  }).observe(form, { childList: true, subtree: true });
})();

// Autosave for drafts, as in Ghost's editor: a few seconds after the writer stops typing, the form is
// saved in the background. Only where the server marked the form (data-autosave: drafts); a published
// thesis is saved only by pressing Save, and the server refuses an autosave of one anyway (409).
// Without this script (or without fetch) nothing changes: Save submits the form as always.
// Loaded with <script src> (no inline script under the CSP).
(function () {
  'use strict';
  var form = document.querySelector('form.editor[data-autosave]');
  if (!form || typeof window.fetch !== 'function' || typeof window.URLSearchParams !== 'function') return;

  var DELAY = 4000; // after the last keystroke
  var status = document.querySelector('.action-bar .saved');
  // A live region must exist before it changes to be announced: made one now, not at the first save.
  if (status) status.setAttribute('role', 'status');
  var show = function (text) { if (status) status.textContent = text; };

  // The form as it would be posted (the CSRF hidden field included). Compared with what was last
  // saved (at first: the form as served), so events that change nothing send nothing.
  var fieldsOf = function () { return new URLSearchParams(new FormData(form)).toString(); };
  var lastSaved = fieldsOf();
  var timer = null;
  var inFlight = false;
  var again = false; // the writer stopped typing while a save was in flight
  var stopped = false;

  // editor.js stops warning before leaving: the form holds what is stored.
  var saved = function () { form.dispatchEvent(new CustomEvent('editor:saved')); };

  function edited() {
    if (stopped) return;
    clearTimeout(timer);
    timer = null;
    // Nothing to save (a "change" after the typing was saved, an edit undone): editor.js is told at once.
    // This listener runs after editor.js's, which marked the form unsaved (deferred scripts run in order).
    if (!inFlight && fieldsOf() === lastSaved) return saved();
    timer = setTimeout(save, DELAY);
  }

  function save() {
    timer = null;
    if (stopped) return;
    // Never two at once: edits made meanwhile are saved as soon as this one has answered.
    if (inFlight) {
      again = true;
      return;
    }
    var fields = fieldsOf();
    if (fields === lastSaved) return saved();
    inFlight = true;
    show('Saving…');
    var body = new URLSearchParams(fields);
    body.set('autosave', '1');
    fetch(form.getAttribute('action'), {
      method: 'POST',
      body: body,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (response) {
        return response.json().then(function (answer) { answered(response.status, answer, fields); });
      })
      .catch(function () {
        show('Not saved: you are offline or the server did not answer; your text is still here');
      })
      .then(function () {
        inFlight = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  function answered(code, answer, fields) {
    if (code === 200) {
      lastSaved = fields;
      moveTo(answer.slug);
      show(answer.savedText);
      // Unless the writer typed on while this was saved.
      if (fieldsOf() === fields) saved();
    } else if (code === 400 && answer.problems && answer.problems.length > 0) {
      show('Not saved: ' + answer.problems[0] + ' — press Save to see all');
    } else {
      // 409: no longer a draft (published in another tab): from now on only Save saves. Others (an
      // expired form, a signed-out admin) carry the server's own advice.
      if (code === 409) stopped = true;
      show('Not saved: ' + (answer.error || 'the server refused it'));
    }
  }

  // The slug is a field like any other. When an autosave changes it, the old admin address no longer
  // opens this thesis (only public pages redirect), so asking for a reload would not do: every link and
  // form of this page that carries it (Preview, Revisions, Publish…, this form's own action) is pointed
  // at the new one, and so is the address bar, with history.replaceState. After any autosave the
  // address also loses a "?saved=1" that a reload would show as a stale message.
  function moveTo(slug) {
    var from = form.getAttribute('action');
    var to = '/admin/theses/' + encodeURIComponent(slug);
    if (from !== to) {
      document.querySelectorAll('a[href], form[action]').forEach(function (node) {
        var name = node.tagName === 'FORM' ? 'action' : 'href';
        var value = node.getAttribute(name);
        if (value === from || value.indexOf(from + '/') === 0 || value.indexOf(from + '?') === 0) {
          node.setAttribute(name, to + value.slice(from.length));
        }
      });
    }
    history.replaceState(history.state, '', to + location.hash);
  }

  form.addEventListener('input', edited);
  form.addEventListener('change', edited);
  // Save submits the form as always; nothing more to autosave on this page.
  form.addEventListener('submit', function () {
    stopped = true;
    clearTimeout(timer);
  });
})();

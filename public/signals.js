// Live signal tracking: keeps a members' signal board current through Server-Sent Events.
// Without JavaScript (or EventSource) the page is complete as served; a reload shows the latest.
// No inline script anywhere: this file is loaded with <script src>, so a strict CSP can forbid inline code.
(function () {
  'use strict';
  var root = document.querySelector('[data-signal-stream]');
  if (!root || typeof window.EventSource !== 'function') return;

  var known = Number(root.getAttribute('data-after')) || 0;
  var liveStatus = document.querySelector('[data-live-status]');
  var setLive = function (text) { if (liveStatus) liveStatus.textContent = text; };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Mirrors views/partials/signal-update.hbs.
  function historyItem(update) {
    var item = element('li', 'signal-update');
    item.setAttribute('data-sequence', String(update.sequence));
    var meta = element('p', 'meta', '#' + update.sequence + ' · recorded ');
    var time = element('time', '', update.recordedAtText);
    time.setAttribute('datetime', update.recordedAt);
    time.setAttribute('title', update.recordedAtText);
    time.setAttribute('data-relative-time', '');
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(' · evidence dated ' + update.occurredOn));
    item.appendChild(meta);
    var line = element('p');
    line.appendChild(element('span', 'status status-' + update.status, update.statusLabel));
    var change = update.moved ? 'from ' + update.previousStatusLabel : 'unchanged';
    if (update.correctsSequence) change += ' · corrects update #' + update.correctsSequence;
    line.appendChild(document.createTextNode(' '));
    line.appendChild(element('span', 'small', change));
    item.appendChild(line);
    var note = element('div', 'prose note');
    note.innerHTML = update.noteHtml; // rendered and sanitised on the server (allow-list)
    item.appendChild(note);
    if (update.sourceUrl) {
      var source = element('p', 'small', 'Source: ');
      var link = element('a', '', update.sourceUrl);
      link.href = update.sourceUrl; // http(s) only, checked on the server
      link.rel = 'noopener noreferrer';
      source.appendChild(link);
      item.appendChild(source);
    }
    return item;
  }

  function apply(update) {
    // The signal's own section and its row in the board's grid (data-signal-row).
    var selector = '[data-signal-id="' + update.signalId + '"], [data-signal-row="' + update.signalId + '"]';
    document.querySelectorAll(selector).forEach(function (signal) {
      signal.querySelectorAll('[data-signal-status]').forEach(function (badge) {
        badge.textContent = update.statusLabel;
        badge.className = 'status status-' + update.status;
      });
      if (update.moved) {
        signal.querySelectorAll('[data-signal-moved]').forEach(function (moved) {
          moved.textContent = update.recordedAtText;
          moved.setAttribute('title', update.recordedAtText);
          if (moved.tagName === 'TIME') moved.setAttribute('datetime', update.recordedAt);
        });
      }
      signal.querySelectorAll('[data-signal-count]').forEach(function (count) { count.textContent = String((Number(count.textContent) || 0) + 1); });
      signal.querySelectorAll('[data-signal-history]').forEach(function (history) {
        history.querySelectorAll('[data-signal-empty]').forEach(function (empty) { empty.remove(); });
        history.insertBefore(historyItem(update), history.firstChild);
      });
      // A collapsed signal (no update until now) opens to show its first one.
      if (signal.tagName === 'DETAILS') signal.open = true;
    });
    Object.keys(update.summary || {}).forEach(function (field) {
      document.querySelectorAll('[data-summary="' + field + '"]').forEach(function (node) { node.textContent = String(update.summary[field]); });
    });
    document.querySelectorAll('[data-chain-count]').forEach(function (node) { node.textContent = String(update.sequence); });
    document.querySelectorAll('[data-chain-head]').forEach(function (node) { node.textContent = update.hash; });
    document.querySelectorAll('[data-chain-time]').forEach(function (node) { node.textContent = update.recordedAtText; });
    if (typeof window.warrenLocalTimes === 'function') window.warrenLocalTimes(document);
  }

  // The first connection says where the page stands; reconnections send Last-Event-ID themselves.
  var stream = new EventSource(root.getAttribute('data-signal-stream') + '?after=' + known);
  stream.addEventListener('open', function () { setLive('Live: updates appear here as they are recorded.'); });
  stream.addEventListener('error', function () {
    setLive(stream.readyState === EventSource.CLOSED ? 'Live updates stopped; reload the page.' : 'Reconnecting…');
  });
  stream.addEventListener('signal-update', function (message) {
    var update = JSON.parse(message.data);
    if (update.sequence <= known) return; // already on the page (a replay after reconnecting)
    known = update.sequence;
    apply(update);
  });
  stream.addEventListener('revoked', function () {
    stream.close();
    setLive('Your access to this thesis has ended; live updates stopped.');
  });
})();

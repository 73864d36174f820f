// Local relative times: "3 hours ago" instead of a UTC date, for <time data-relative-time datetime="…">.
// The server's text (UTC) stays without JavaScript; the exact UTC time stays in the title either way.
// Loaded with <script src> (no inline script under the CSP); signals.js calls warrenLocalTimes on new rows.
(function () {
  'use strict';
  if (typeof Intl === 'undefined' || typeof Intl.RelativeTimeFormat !== 'function') return;
  var relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  var local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  var UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];

  function describe(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < UNITS.length; i++) {
      if (Math.abs(seconds) >= UNITS[i][1]) return relative.format(Math.round(seconds / UNITS[i][1]), UNITS[i][0]);
    }
    return relative.format(0, 'minute');
  }

  function format(root) {
    (root || document).querySelectorAll('time[data-relative-time]').forEach(function (node) {
      var date = new Date(node.getAttribute('datetime'));
      if (isNaN(date.getTime())) return;
      var exact = node.getAttribute('title') || date.toISOString();
      // The exact UTC time first (the record's), then the reader's own clock.
      node.setAttribute('title', exact.split(' · ')[0] + ' · ' + local.format(date) + ' your time');
      node.textContent = describe(date);
    });
  }

  window.warrenLocalTimes = format;
  format(document);
  // Relative times age: refresh them each minute.
  window.setInterval(function () { format(document); }, 60000);
})();

// MCP-Agent console pages: the live progress of a running execution, from the page's own event stream.
// Everything received is shown as text (textContent), never as markup.
document.addEventListener('DOMContentLoaded', function () {
  var live = document.getElementById('mcpa-live');
  if (!live) {
    return;
  }
  var list = document.getElementById('mcpa-live-events');
  var status = document.getElementById('mcpa-live-status');
  var pattern = document.getElementById('mcpa-pattern');
  var done = document.getElementById('mcpa-live-done');
  // the page's own status badge and cancel button follow the live status: a finished execution read RUNNING above
  // its live SUCCEEDED, and offered to be cancelled
  var badge = document.querySelector('#mcpa-status .mcpa-status');
  var cancel = document.getElementById('mcpa-cancel');
  var source = new EventSource(live.getAttribute('data-events'));
  source.onerror = function () {
    // a refused stream (429: too many open; 401: the session ended) or one lost for good is not tried again by the
    // browser: say so, rather than a progress that silently stops
    if (source.readyState === EventSource.CLOSED && done.hidden) {
      done.firstChild.textContent = 'Live progress stopped: the event stream was refused or lost (too many open'
        + ' streams, the session ended, or the runtime restarted). ';
      done.hidden = false;
    }
  };
  source.onmessage = function (message) {
    var event = JSON.parse(message.data);
    if (event.status) {
      status.textContent = event.status;
      if (badge) {
        badge.textContent = event.status;
        badge.className = 'mcpa-status mcpa-' + event.status.toLowerCase();
      }
      if (cancel && ['SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'].indexOf(event.status) >= 0) {
        cancel.hidden = true;
      }
    }
    // the pattern row follows the pattern that runs: the decision, each fallback, or that the execution ended
    // without one
    if (event.pattern && pattern) {
      pattern.textContent = event.pattern;
      pattern.removeAttribute('data-not-chosen');
    }
    if (event.type === 'end' || event.type === 'overflow') {
      source.close();
      done.hidden = false;
    }
    if (event.type === 'status' || event.type === 'end') {
      return;
    }
    var item = document.createElement('li');
    item.setAttribute('data-type', event.type);
    item.textContent = (event.time ? event.time + ' ' : '') + event.type + (event.text ? ': ' + event.text : '');
    list.appendChild(item);
  };
});

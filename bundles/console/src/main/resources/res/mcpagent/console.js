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
  var source = new EventSource(live.getAttribute('data-events'));
  source.onmessage = function (message) {
    var event = JSON.parse(message.data);
    if (event.status) {
      status.textContent = event.status;
    }
    // the pattern row follows the pattern that runs: the decision, each fallback, or that the execution ended
    // without one
    if (event.pattern && pattern) {
      pattern.textContent = event.pattern;
      pattern.removeAttribute('data-not-chosen');
    }
    if (event.type === 'end' || event.type === 'overflow') {
      source.close();
      document.getElementById('mcpa-live-done').hidden = false;
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

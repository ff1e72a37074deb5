// Counts down the session cookie's expiry on /session, once a second.
(function () {
  var el = document.getElementById("countdown");
  if (!el) return;
  var expires = Number(el.dataset.expires);
  function tick() {
    var left = Math.round((expires - Date.now()) / 1000);
    if (left <= 0) {
      el.textContent = "expired: reload to start a new session";
      return;
    }
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600),
        m = Math.floor(left % 3600 / 60), s = left % 60;
    el.textContent = d > 0 ? d + "d " + h + "h " + m + "m " + s + "s"
      : h > 0 ? h + "h " + m + "m " + s + "s"
      : m > 0 ? m + "m " + s + "s" : s + "s";
    setTimeout(tick, 1000 - Date.now() % 1000);
  }
  tick();
})();

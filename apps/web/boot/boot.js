/*
 * Runs inline in index.html, before the app's code arrives, on the trainer's addresses only (the phone
 * app): asks for the trainer's chunks at once (modulepreload, side by side with the main script, instead of
 * after it has run) and starts the session's renewal, whose answer (the access token and the account) the
 * app takes when it starts (src/api/session.ts); on "Lớp của tôi" the list of classes is then asked for with
 * the new token (taken by src/api/client.ts), so it no longer waits for the app's code. The renewal holds
 * the same Web Lock as the app's, so two tabs never present the same refresh token. __TRAINER_CHUNKS__ and
 * __KEPT__ (the API answers the service worker keeps that the first page draws) are filled in at build time.
 */
(function () {
  if (!/^\/(lop|tiep-can)(\/|$)/.test(location.pathname)) return;
  __TRAINER_CHUNKS__.forEach(function (href) {
    var link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.appendChild(link);
  });
  var csrf = /(?:^|; )lantoa_csrf=([^;]*)/.exec(document.cookie);
  if (!csrf) return;
  // What the service worker kept of the last visit, read while the scripts arrive (src/app/kept.ts takes it).
  if (window.caches) {
    window.__lantoaKept = Promise.all(
      __KEPT__.map(function (path) {
        return caches.match(path, { cacheName: 'lantoa-api', ignoreVary: true }).then(function (response) {
          return response ? response.json() : undefined;
        });
      }),
    );
  }
  if (!navigator.onLine || !window.fetch) return;
  function renew() {
    return fetch('/api/v1/auth/session/refresh', {
      method: 'POST',
      headers: { 'x-csrf-token': decodeURIComponent(csrf[1]) },
      credentials: 'same-origin',
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return null;
        })
        .then(function (body) {
          return { status: response.status, body: body };
        });
    });
  }
  var renewal = (navigator.locks ? navigator.locks.request('lantoa-session', renew) : renew()).catch(
    function () {
      return null;
    },
  );
  window.__lantoaRenewal = renewal;
  if (!/^\/lop\/?$/.test(location.pathname)) return;
  var classes = '/api/v1/classes?limit=200';
  window.__lantoaPrefetch = {};
  window.__lantoaPrefetch[classes] = renewal.then(function (answer) {
    if (!answer || answer.status !== 200) return null;
    return fetch(classes, {
      headers: { authorization: 'Bearer ' + answer.body.accessToken },
      credentials: 'same-origin',
    }).catch(function () {
      return null;
    });
  });
})();

// The harness's "Shopify admin": frames the app the way admin does and answers its App Bridge stand-in.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("harness-config").textContent);
  var frame = document.getElementById("app-frame");
  var toasts = document.getElementById("toasts");
  var loadingBar = document.getElementById("loading-bar");
  var titleEl = document.getElementById("page-title");
  var navLinks = Array.prototype.slice.call(document.querySelectorAll("[data-nav-path]"));
  var bridgeReady = false;
  var currentPath = config.initialPath;

  function sessionToken() {
    return fetch("/harness/session-token", { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("Session token endpoint answered " + response.status);
      return response.json();
    });
  }

  /** Loads an app URL in the frame with the query parameters Shopify admin adds, including a fresh id_token. */
  function load(path) {
    var url = new URL(path, location.origin);
    return sessionToken().then(function (body) {
      url.searchParams.set("embedded", "1");
      url.searchParams.set("shop", config.shop);
      url.searchParams.set("host", config.host);
      url.searchParams.set("locale", "en");
      url.searchParams.set("id_token", body.token);
      bridgeReady = false;
      setLoading(true);
      frame.src = url.pathname + url.search;
      setActive(url.pathname);
    });
  }

  function setActive(path) {
    currentPath = path;
    // Query and fragment do not choose the section: /app/orders?review=pending is still Orders.
    path = path.split(/[?#]/)[0];
    var best = null;
    navLinks.forEach(function (link) {
      var navPath = link.getAttribute("data-nav-path");
      if (path === navPath || path.indexOf(navPath + "/") === 0) {
        if (!best || navPath.length > best.getAttribute("data-nav-path").length) best = link;
      }
    });
    navLinks.forEach(function (link) {
      link.classList.toggle("active", link === best);
      if (link === best) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    var shellUrl = new URL(location.href);
    shellUrl.searchParams.set("path", path);
    history.replaceState(null, "", shellUrl.pathname + shellUrl.search);
  }

  function setLoading(on) {
    loadingBar.classList.toggle("on", !!on);
  }

  function showToast(id, message, isError, duration) {
    var el = document.createElement("div");
    el.className = "toast" + (isError ? " error" : "");
    el.setAttribute("role", "status");
    el.dataset.toastId = id;
    el.textContent = message;
    toasts.appendChild(el);
    setTimeout(function () {
      el.remove();
    }, Math.max(1000, duration || 5000));
  }

  navLinks.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var path = link.getAttribute("data-nav-path");
      if (bridgeReady && frame.contentWindow) {
        // Admin asks App Bridge to navigate inside the app (client-side), it does not reload the frame.
        frame.contentWindow.postMessage({ source: "harness-shell", type: "navigate", path: path }, location.origin);
        setActive(path);
      } else {
        load(path);
      }
    });
  });

  document.getElementById("reload-app").addEventListener("click", function () {
    load(currentPath);
  });

  frame.addEventListener("load", function () {
    setLoading(false);
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.source !== "harness-app-bridge") return;
    var reply = function (fields) {
      event.source.postMessage(Object.assign({ source: "harness-shell", type: "reply", id: data.id }, fields), location.origin);
    };
    switch (data.type) {
      case "ready":
        bridgeReady = true;
        if (data.apiKey && data.apiKey !== config.apiKey) {
          showToast("key", "The app's API key (" + data.apiKey + ") differs from the harness's (" + config.apiKey + ")", true, 10000);
        }
        break;
      case "id-token":
        sessionToken().then(
          function (body) {
            reply({ token: body.token });
          },
          function (error) {
            reply({ error: String(error && error.message) });
          },
        );
        break;
      case "toast":
        showToast(data.id, data.message, data.isError, data.duration);
        break;
      case "toast-hide":
        Array.prototype.forEach.call(toasts.querySelectorAll('[data-toast-id="' + data.id + '"]'), function (el) {
          el.remove();
        });
        break;
      case "loading":
        setLoading(data.on);
        break;
      case "title":
        titleEl.textContent = data.title || "";
        break;
      case "location":
        setActive(data.path);
        break;
      case "open": {
        var url = new URL(data.url, location.href);
        if (url.origin === location.origin) {
          load(url.pathname + url.search);
        } else if (/(^|\.)shopify\.com$|\.myshopify\.com$/.test(url.hostname)) {
          showToast("admin", "The app asked Shopify admin to open " + url.href + " (not available locally)", false, 8000);
        } else {
          window.open(url.href, "_blank", "noopener");
        }
        break;
      }
    }
  });

  load(config.initialPath);
})();

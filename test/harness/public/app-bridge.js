// App Bridge stand-in for the local admin harness. The app loads it instead of
// https://cdn.shopify.com/shopifycloud/app-bridge.js when APP_BRIDGE_URL points here.
//
// It implements what Creator Ledger uses of App Bridge, talking to the harness shell (the page that frames the
// app) with postMessage, the way the real script talks to Shopify admin:
//   - window.shopify.config {apiKey, shop, host, locale}
//   - shopify.idToken(): a fresh session token, minted by the shell
//   - shopify.toast.show(message, {isError, duration}) / toast.hide(id): shown by the shell
//   - shopify.loading(on)
//   - window.fetch: same-origin requests get `Authorization: Bearer <session token>`; a 401 carrying
//     X-Shopify-Retry-Invalid-Session-Request is retried once with a new token
//   - <ui-nav-menu>, <ui-title-bar>, <ui-save-bar>, <ui-modal>: harmless (the shell renders the nav itself)
//   - navigation requested by the shell dispatches `shopify:navigate`, which the app's AppProvider turns into a
//     client-side Remix navigation, as admin navigation does
//   - the bounce page (?shopify-reload=…) reloads with an id_token, as the real script does
(function () {
  "use strict";
  if (window.shopify && window.shopify.__harness) return;

  var script = document.currentScript;
  var params = new URLSearchParams(location.search);
  var saved = {};
  try {
    saved = JSON.parse(sessionStorage.getItem("harness:app-bridge") || "{}");
  } catch (e) {
    saved = {};
  }
  var config = {
    apiKey:
      (script && script.getAttribute("data-api-key")) ||
      (document.querySelector('meta[name="shopify-api-key"]') || {}).content ||
      saved.apiKey ||
      "",
    shop: params.get("shop") || saved.shop || "",
    host: params.get("host") || saved.host || "",
    locale: params.get("locale") || saved.locale || "en",
  };
  try {
    sessionStorage.setItem("harness:app-bridge", JSON.stringify(config));
  } catch (e) {
    /* storage may be unavailable */
  }

  var framed = window.parent !== window;
  var origin = location.origin;
  var seq = 0;
  var pending = {};

  function tell(type, data) {
    if (!framed) return;
    var message = Object.assign({ source: "harness-app-bridge", type: type }, data || {});
    window.parent.postMessage(message, origin);
  }

  function ask(type, data, timeoutMs) {
    return new Promise(function (resolve, reject) {
      var id = "req-" + ++seq;
      var timer = setTimeout(function () {
        delete pending[id];
        reject(new Error("The admin harness did not answer " + type));
      }, timeoutMs || 5000);
      pending[id] = function (reply) {
        clearTimeout(timer);
        delete pending[id];
        if (reply.error) reject(new Error(reply.error));
        else resolve(reply);
      };
      tell(type, Object.assign({ id: id }, data || {}));
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== window.parent) return;
    var data = event.data || {};
    if (data.source !== "harness-shell") return;
    if (data.type === "reply" && pending[data.id]) pending[data.id](data);
    if (data.type === "navigate") navigate(data.path);
  });

  var originalFetch = window.fetch.bind(window);

  function idToken() {
    if (framed) {
      return ask("id-token").then(function (reply) {
        return reply.token;
      });
    }
    // Opened outside the shell: ask the harness directly (same origin).
    return originalFetch("/harness/session-token", { cache: "no-store" })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        return body.token;
      });
  }

  function sameOrigin(url) {
    try {
      return new URL(url, location.href).origin === origin;
    } catch (e) {
      return false;
    }
  }

  window.fetch = function (input, init) {
    var url = input instanceof Request ? input.url : String(input);
    var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
    if (!sameOrigin(url) || headers.has("Authorization") || url.indexOf("/harness/") !== -1) {
      return originalFetch(input, init);
    }
    var send = function () {
      return idToken().then(function (token) {
        var withAuth = new Headers(headers);
        withAuth.set("Authorization", "Bearer " + token);
        return originalFetch(input, Object.assign({}, init || {}, { headers: withAuth }));
      });
    };
    var canRetry = !(input instanceof Request && input.body) && !(init && init.body instanceof ReadableStream);
    return send().then(function (response) {
      var reauthorize = response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
      if (reauthorize) {
        open(reauthorize, "_top");
        return response;
      }
      if (canRetry && response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
        return send();
      }
      return response;
    });
  };

  function open(url, target) {
    var resolved = new URL(url, location.href);
    if (target === "_top" || target === "_parent") {
      tell("open", { url: resolved.toString(), target: target });
      if (!framed && resolved.origin === origin) location.assign(resolved.toString());
      return null;
    }
    return originalOpen(resolved.toString(), target);
  }
  var originalOpen = window.open.bind(window);
  window.open = function (url, target, features) {
    if (target === "_top" || target === "_parent") return open(String(url), target);
    return originalOpen(url, target, features);
  };

  // The app's AppProvider listens for shopify:navigate once React has hydrated. Navigation requested before that is
  // held until the listener exists (and the page is marked, so tests can wait for a hydrated app).
  var navigateListeners = 0;
  var heldNavigation = null;
  var originalAdd = window.addEventListener;
  var originalRemove = window.removeEventListener;
  window.addEventListener = function (type) {
    var result = originalAdd.apply(this, arguments);
    // A bare `addEventListener(…)` call (as in AppProvider) has no `this`: it targets the window.
    if (type === "shopify:navigate" && (this == null || this === window)) {
      navigateListeners++;
      document.documentElement.setAttribute("data-harness-app-ready", "true");
      if (heldNavigation !== null) {
        var path = heldNavigation;
        heldNavigation = null;
        setTimeout(function () {
          navigate(path);
        }, 0);
      }
    }
    return result;
  };
  window.removeEventListener = function (type) {
    if (type === "shopify:navigate" && (this == null || this === window) && navigateListeners > 0) navigateListeners--;
    return originalRemove.apply(this, arguments);
  };

  function navigate(path) {
    if (navigateListeners === 0) {
      var first = heldNavigation === null;
      heldNavigation = path;
      // An app that never listens (no AppProvider, or it failed to hydrate) is reloaded at the path by the shell.
      if (first) {
        setTimeout(function () {
          if (heldNavigation !== null) {
            var held = heldNavigation;
            heldNavigation = null;
            tell("open", { url: new URL(held, location.href).toString(), target: "_self" });
          }
        }, 5000);
      }
      return;
    }
    var anchors = document.querySelectorAll("ui-nav-menu a");
    var anchor = null;
    for (var i = 0; i < anchors.length; i++) if (anchors[i].getAttribute("href") === path) anchor = anchors[i];
    var temporary = !anchor;
    if (temporary) {
      anchor = document.createElement("a");
      anchor.setAttribute("href", path);
      anchor.hidden = true;
      document.body.appendChild(anchor);
    }
    anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, composed: true }));
    if (temporary) anchor.remove();
  }

  var toastSeq = 0;
  var shopify = {
    __harness: true,
    config: config,
    origin: origin,
    environment: { embedded: framed, mobile: false, pos: false },
    idToken: idToken,
    toast: {
      show: function (message, options) {
        var id = "toast-" + ++toastSeq;
        var opts = options || {};
        tell("toast", { id: id, message: String(message), isError: !!opts.isError, duration: opts.duration || 5000 });
        return id;
      },
      hide: function (id) {
        tell("toast-hide", { id: id });
      },
    },
    loading: function (on) {
      tell("loading", { on: on !== false });
    },
    user: function () {
      return Promise.resolve({ id: 1, name: "Local Harness", accountAccess: "Account owner" });
    },
    saveBar: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    },
    modal: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
  };

  var warned = {};
  window.shopify = new Proxy(shopify, {
    get: function (target, prop) {
      if (prop in target || typeof prop === "symbol" || prop === "then" || prop === "toJSON") return target[prop];
      if (!warned[prop]) {
        warned[prop] = true;
        console.warn("shopify." + String(prop) + " is not implemented by the local admin harness's App Bridge stand-in");
      }
      return function () {
        return Promise.resolve(undefined);
      };
    },
  });

  // App Bridge's web components: kept out of the app's layout; the shell shows the nav and the page title.
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu, ui-title-bar, ui-save-bar, ui-modal { display: none !important; }";
  (document.head || document.documentElement).appendChild(style);

  function defineElement(name, extra) {
    if (!window.customElements || customElements.get(name)) return;
    var Element = class extends HTMLElement {};
    if (extra) extra(Element);
    customElements.define(name, Element);
  }
  defineElement("ui-nav-menu");
  defineElement("ui-modal", function (Element) {
    Element.prototype.show = function () {
      return Promise.resolve();
    };
    Element.prototype.hide = function () {
      return Promise.resolve();
    };
    Element.prototype.toggle = function () {
      return Promise.resolve();
    };
  });
  defineElement("ui-save-bar", function (Element) {
    Element.prototype.show = function () {
      this.dispatchEvent(new Event("show"));
      return Promise.resolve();
    };
    Element.prototype.hide = function () {
      this.dispatchEvent(new Event("hide"));
      return Promise.resolve();
    };
    Element.prototype.toggle = function () {
      return Promise.resolve();
    };
  });
  defineElement("ui-title-bar", function (Element) {
    Element.observedAttributes = ["title"];
    Element.prototype.connectedCallback = function () {
      tell("title", { title: this.getAttribute("title") || "" });
    };
    Element.prototype.attributeChangedCallback = function () {
      if (this.isConnected) tell("title", { title: this.getAttribute("title") || "" });
    };
    Element.prototype.disconnectedCallback = function () {
      tell("title", { title: "" });
    };
  });

  // Keep the shell's address bar and nav in step with the app's own navigation.
  var HIDDEN_PARAMS = ["embedded", "shop", "host", "id_token", "locale", "hmac", "session", "timestamp"];
  function reportLocation() {
    var url = new URL(location.href);
    HIDDEN_PARAMS.forEach(function (name) {
      url.searchParams.delete(name);
    });
    tell("location", { path: url.pathname + url.search });
  }
  ["pushState", "replaceState"].forEach(function (method) {
    var original = history[method];
    history[method] = function () {
      var result = original.apply(this, arguments);
      reportLocation();
      return result;
    };
  });
  window.addEventListener("popstate", reportLocation);

  // The bounce page: Shopify's script reloads the requested URL with a session token in the query.
  var reload = params.get("shopify-reload");
  if (reload) {
    if (sameOrigin(reload)) {
      idToken().then(function (token) {
        var target = new URL(reload, location.href);
        target.searchParams.set("id_token", token);
        location.replace(target.toString());
      });
    } else {
      console.error("Refusing to reload to another origin: " + reload);
    }
    return;
  }

  tell("ready", { apiKey: config.apiKey });
  reportLocation();
})();

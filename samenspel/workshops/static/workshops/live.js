// The live part of a workshop's screens (participant, projector, facilitator's console).
// About once a second it asks the server "anything after revision R?" (304 while nothing
// changed) and applies the cards and groups that changed. When the act, the voting or the
// reveal changes, the page is loaded anew (a half-written card is kept). Text is always set
// with textContent: nothing a participant writes is read as HTML.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  var stateNode = document.getElementById("live-state");
  if (!root || !stateNode) return;
  var state = JSON.parse(stateNode.textContent);
  var revision = state.revision;
  var draftKey = "samenspel-card-" + state.workshop;
  var cardTemplate = document.getElementById("card-template");
  var clusterTemplate = document.getElementById("cluster-template");

  // A half-written card survives the reload of a new act.
  var textarea = root.querySelector("[data-card-text]");
  if (textarea) {
    var kept = sessionStorage.getItem(draftKey);
    if (kept) textarea.value = kept;
    textarea.addEventListener("input", function () {
      sessionStorage.setItem(draftKey, textarea.value);
    });
  }

  // A form that leaves the page (a console button) is on its way: a poll answered meanwhile
  // must not reload the page over the form's own answer (its message would be lost).
  var leaving = false;
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) leaving = true;
  });
  window.addEventListener("pageshow", function () {
    leaving = false;
  });

  function reload() {
    if (!leaving) location.reload();
  }

  function setText(el, selector, text) {
    var found = el.querySelector(selector);
    if (found) found.textContent = text;
  }

  function placeSorted(el, container) {
    var id = Number(el.getAttribute("data-card"));
    var children = container.children;
    for (var i = 0; i < children.length; i++) {
      if (children[i] === el) return;
      if (Number(children[i].getAttribute("data-card")) > id) {
        container.insertBefore(el, children[i]);
        return;
      }
    }
    container.appendChild(el);
  }

  function withId(el, id) {
    el.querySelectorAll("[data-id-input]").forEach(function (input) {
      input.value = id;
    });
    el.querySelectorAll("[data-id-value]").forEach(function (button) {
      button.value = id;
    });
  }

  function applyCluster(cluster) {
    var box = root.querySelector('[data-cluster-box="' + cluster.id + '"]');
    if (cluster.removed) {
      if (box) box.remove();
      return;
    }
    if (!box && clusterTemplate) {
      box = clusterTemplate.content.firstElementChild.cloneNode(true);
      box.setAttribute("data-cluster-box", cluster.id);
      box.querySelector("[data-cluster-cards]").setAttribute("data-cluster-cards", cluster.id);
      withId(box, cluster.id);
      var titleInput = box.querySelector("[data-title-input]");
      if (titleInput) {
        titleInput.name = "title_" + cluster.id;
        titleInput.id = "title-" + cluster.id;
        box.querySelector("[data-title-label]").htmlFor = titleInput.id;
      }
      var list = root.querySelector("[data-clusters]");
      if (list) list.appendChild(box);
      var votes = box.querySelector("[data-vote-form]");
      if (votes) markVotes(votes);
    }
    if (!box) return;
    setText(box, "[data-title]", cluster.title);
    setText(box, "[data-votes]", String(cluster.votes));
    var input = box.querySelector("[data-title-input]");
    if (input && document.activeElement !== input) input.value = cluster.title;
  }

  function applyCard(card) {
    var el = root.querySelector('[data-card="' + card.id + '"]');
    if (card.removed) {
      if (el) el.remove();
      return;
    }
    if (!el) {
      if (!cardTemplate) return;
      el = cardTemplate.content.firstElementChild.cloneNode(true);
      el.setAttribute("data-card", card.id);
      withId(el, card.id);
    }
    el.className = "ss-wcard ss-wcard--" + card.side + (card.hidden ? " ss-wcard--hidden" : "") +
      (card.mine ? " ss-wcard--mine" : "");
    el.setAttribute("data-side", card.side);
    setText(el, "[data-text]", card.text);
    setText(el, "[data-side-label]", (state.sides && state.sides[card.side]) || card.side);
    setText(el, "[data-votes]", String(card.votes));
    var hide = el.querySelector("[data-hide]");
    var show = el.querySelector("[data-show]");
    if (hide) hide.hidden = card.hidden;
    if (show) show.hidden = !card.hidden;
    var container = card.cluster
      ? root.querySelector('[data-cluster-cards="' + card.cluster + '"]')
      : root.querySelector('[data-column="' + card.side + '"]');
    if (container) placeSorted(el, container);
    var box = el.querySelector("[data-vote-form]");
    if (box && typeof markVotes === "function") markVotes(box);
  }

  // The timer counts down here; the server says how much is left whenever anything changes.
  var timer = root.ownerDocument.querySelector("[data-timer]");
  var left = state.timerLeft;
  var running = state.timerRunning;
  function showTimer() {
    if (!timer) return;
    timer.hidden = left === null || left === undefined;
    if (timer.hidden) return;
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    setText(timer, "[data-timer-text]", minutes + ":" + (seconds < 10 ? "0" : "") + seconds);
    var paused = timer.querySelector("[data-timer-paused]");
    if (paused) paused.hidden = running;
    timer.classList.toggle("ss-timer--done", left === 0);
  }
  showTimer();
  setInterval(function () {
    if (running && left > 0) {
      left -= 1;
      showTimer();
    }
  }, 1000);

  function apply(changes) {
    if (leaving) return;
    if (changes.act !== state.act || changes.status !== state.status ||
        changes.voting !== state.voting || changes.revealed !== state.revealed) {
      reload();
      return;
    }
    changes.clusters.forEach(applyCluster);
    changes.cards.forEach(applyCard);
    root.ownerDocument.querySelectorAll("[data-participants]").forEach(function (el) {
      el.textContent = String(changes.participants);
    });
    root.querySelectorAll("[data-card-count]").forEach(function (el) {
      el.textContent = String(changes.cardCount);
    });
    if (changes.votesLeft !== undefined) {
      root.querySelectorAll("[data-votes-left]").forEach(function (el) {
        el.textContent = String(changes.votesLeft);
      });
    }
    left = changes.timer.left;
    running = changes.timer.running;
    showTimer();
    revision = changes.revision;
  }

  var address = new URL(state.changes, location.href);
  address.searchParams.set("w", state.workshop);
  if (state.key) address.searchParams.set("key", state.key);

  function poll() {
    address.searchParams.set("since", revision);
    address.searchParams.set("act", state.act);
    fetch(address.toString(), {
      cache: "no-store",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (response.status === 200) return response.json().then(apply);
      return null;
    }).catch(function () {
      return null;  // offline for a moment: the next poll catches up
    }).then(function () {
      setTimeout(poll, document.hidden ? state.poll * 5 : state.poll);
    });
  }
  setTimeout(poll, state.poll);

  // A participant's card and votes go without reloading the page.
  var csrf = root.querySelector("[name=csrfmiddlewaretoken]");
  function send(form, extra) {
    var body = new FormData(form);
    if (extra) body.set(extra.name, extra.value);
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    });
  }

  var cardForm = root.querySelector("[data-card-form]");
  var cardError = root.querySelector("[data-card-error]");
  if (cardForm) {
    cardForm.addEventListener("submit", function (event) {
      event.preventDefault();
      send(cardForm).then(function (answer) {
        if (answer.ok) {
          applyCard(answer.data);
          textarea.value = "";
          sessionStorage.removeItem(draftKey);
          cardError.textContent = "";
          textarea.focus();
        } else {
          cardError.textContent = answer.data.detail;
        }
      }).catch(function () {
        cardForm.submit();
      });
    });
  }

  // The board is the same for every participant; one's own cards and votes are marked here.
  var mine = {};
  (state.mine || []).forEach(function (id) { mine[id] = true; });
  var myVotes = state.myVotes || {};
  function markVotes(box) {
    var button = box.querySelector("[data-take-back]");
    if (!button) return;
    var key = (button.name === "take_back_card" ? "card-" : "cluster-") + button.value;
    var count = myVotes[key] || 0;
    button.hidden = count <= 0;
    box.querySelector("[data-my-votes]").textContent = count > 0 ? String(count) : "";
  }
  root.querySelectorAll("[data-card]").forEach(function (el) {
    if (mine[el.getAttribute("data-card")]) el.classList.add("ss-wcard--mine");
  });
  root.querySelectorAll("[data-vote-form]").forEach(markVotes);

  var voteForm = document.getElementById("vote-form");
  if (voteForm) {
    voteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter;
      if (!button) return;
      send(voteForm, { name: button.name, value: button.value }).then(function (answer) {
        var problem = root.querySelector("[data-vote-error]");
        if (problem) problem.textContent = answer.ok ? "" : answer.data.detail;
        if (!answer.ok) return;
        var back = button.name.indexOf("take_back_") === 0;
        var key = (button.name.indexOf("card") >= 0 ? "card-" : "cluster-") + button.value;
        myVotes[key] = Math.max(0, (myVotes[key] || 0) + (back ? -1 : 1));
        markVotes(button.closest("[data-vote-form]"));
        root.querySelectorAll("[data-votes-left]").forEach(function (el) {
          el.textContent = String(answer.data.votesLeft);
        });
      });
    });
  }
})();

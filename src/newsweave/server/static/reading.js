// newsweave reading view: a claim's partners (the claims of its group in the other articles)
// light up while the claim is hovered or focused; Enter on a claim moves to its next partner.
// The pages work without this script: it only adds classes and a status line. It never reads
// article text into markup (textContent only).
(function () {
  "use strict";

  var claims = Array.prototype.slice.call(document.querySelectorAll(".claim[data-group]"));
  if (!claims.length) {
    return;
  }
  var groups = {};
  claims.forEach(function (claim) {
    var key = claim.getAttribute("data-group");
    (groups[key] = groups[key] || []).push(claim);
  });
  var status = document.getElementById("claim-status");
  var active = null;

  function partnersOf(claim) {
    return (groups[claim.getAttribute("data-group")] || []).filter(function (other) {
      return other !== claim;
    });
  }

  function clear() {
    if (!active) {
      return;
    }
    active.classList.remove("active");
    partnersOf(active).forEach(function (p) {
      p.classList.remove("partner");
    });
    active = null;
    if (status) {
      status.textContent = "";
    }
  }

  function show(claim) {
    if (claim === active) {
      return;
    }
    clear();
    active = claim;
    claim.classList.add("active");
    var partners = partnersOf(claim);
    partners.forEach(function (p) {
      p.classList.add("partner");
    });
    if (status) {
      var where = partners.map(function (p) {
        return p.getAttribute("data-outlet") || "another article";
      });
      var label = claim.getAttribute("data-status") || "claim";
      status.textContent =
        label.charAt(0).toUpperCase() + label.slice(1) + " claim" +
        (where.length
          ? "; highlighted in " + Array.from(new Set(where)).join(", ") + " (" + where.length + ")."
          : "; no other article shown here has it.");
    }
  }

  function claimOf(node) {
    return node && node.closest ? node.closest(".claim[data-group]") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var claim = claimOf(event.target);
    if (claim) {
      show(claim);
    }
  });
  document.addEventListener("mouseout", function (event) {
    var claim = claimOf(event.target);
    if (claim && claim === active && !claim.contains(event.relatedTarget) && document.activeElement !== claim) {
      clear();
    }
  });
  document.addEventListener("focusin", function (event) {
    var claim = claimOf(event.target);
    if (claim) {
      show(claim);
    } else {
      clear();
    }
  });
  document.addEventListener("focusout", function (event) {
    if (claimOf(event.target) === active && !claimOf(event.relatedTarget)) {
      clear();
    }
  });
  document.addEventListener("keydown", function (event) {
    var claim = claimOf(event.target);
    if (!claim || event.key !== "Enter") {
      return;
    }
    var group = groups[claim.getAttribute("data-group")] || [];
    if (group.length < 2) {
      return;
    }
    event.preventDefault();
    var next = group[(group.indexOf(claim) + 1) % group.length];
    history.replaceState(null, "", "#" + next.id);
    next.focus();
  });

  // A link to a claim (#claim-…) lands on it: focused, so its partners light up.
  function land() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return; // a malformed fragment names no sentence
    }
    var target = id ? document.getElementById(id) : null;
    if (target && target.classList.contains("claim")) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("hashchange", land);
  land();
})();

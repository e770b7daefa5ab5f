// recoupe web UI: small progressive enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Show or hide removed lines on the article page; remembered across pages.
  const toggle = document.getElementById("show-removed");
  if (toggle) {
    const apply = () => document.body.classList.toggle("hide-removed", !toggle.checked);
    toggle.checked = localStorage.getItem("recoupe.hideRemoved") !== "1";
    apply();
    toggle.addEventListener("change", () => {
      localStorage.setItem("recoupe.hideRemoved", toggle.checked ? "0" : "1");
      apply();
    });
  }
  // Filters that are choices apply as soon as they change.
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
});

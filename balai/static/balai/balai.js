// Balai: small progressive enhancements. No inline scripts anywhere (Content Security Policy).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
  // An error summary's link puts the cursor in the field it names, with its label in view
  // (following a link to an input only scrolls to it).
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']") || field.closest("fieldset") || field;
      label.scrollIntoView();
      field.focus({ preventScroll: true });
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#" + field.id); }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.hidden = false;
    el.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});

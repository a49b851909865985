// MES FACTURES: after PAYER opens the provider's page in a new tab, refresh the list so the
// invoice shows "En paiement" here too (htmx listens for "payment-started").
document.addEventListener("submit", function (event) {
  if (!event.target.classList || !event.target.classList.contains("pay-form")) { return; }
  window.setTimeout(function () {
    document.body.dispatchEvent(new CustomEvent("payment-started", { bubbles: true }));
  }, 1500);
});

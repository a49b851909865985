// "Cocher toute la page": ticks every child checkbox of the displayed page (without JS, the
// "Inscrire les N enfants filtrés" button selects the whole filtered set on the server).
document.addEventListener("DOMContentLoaded", () => {
  const master = document.querySelector(".check-page");
  if (!master) return;
  const boxes = () => document.querySelectorAll('input[name="enfants"]');
  master.hidden = false;
  master.addEventListener("change", () => boxes().forEach((box) => { box.checked = master.checked; }));
});

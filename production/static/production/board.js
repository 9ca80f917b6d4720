// The board's cell selection: a click on a column header or a row's box
// toggles every task of that column or row; the button counts the selection.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("board-form");
  if (!form) return;
  const counter = document.getElementById("board-selected");
  const count = () => { counter.textContent = form.querySelectorAll("input[name=tasks]:checked").length; };
  const toggle = (boxes) => {
    const check = boxes.some((box) => !box.checked);
    boxes.forEach((box) => { box.checked = check; });
    count();
  };
  form.querySelectorAll("th.board-column").forEach((header) => {
    header.addEventListener("click", () => {
      const rows = [...form.querySelectorAll("table.board tbody tr")];
      toggle(rows.flatMap((row) => [...(row.cells[header.cellIndex]?.querySelectorAll("input[name=tasks]") || [])]));
    });
  });
  form.querySelectorAll(".board-row-select").forEach((button) => {
    button.addEventListener("click", () => toggle([...button.closest("tr").querySelectorAll("input[name=tasks]")]));
  });
  form.addEventListener("change", count);
  // Only the fields the chosen action uses are shown.
  const action = form.querySelector("select[name=action]");
  const fields = { status: ".for-status", assign: ".for-person", unassign: ".for-person", due_date: ".for-due-date" };
  const show = () => {
    form.querySelectorAll(".for-status, .for-person, .for-due-date").forEach((field) => { field.hidden = true; });
    form.querySelectorAll(fields[action.value]).forEach((field) => { field.hidden = false; });
  };
  action.addEventListener("change", show);
  show();
  count();
});

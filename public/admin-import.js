// Reads the chosen Markdown file into the import form's textarea (the server takes the text).
for (const picker of document.querySelectorAll('input[type=file][data-fills]')) {
  picker.addEventListener('change', async () => {
    const file = picker.files && picker.files[0];
    if (file) document.getElementById(picker.dataset.fills).value = await file.text();
  });
}

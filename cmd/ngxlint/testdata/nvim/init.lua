-- Minimal Neovim (0.7+) set-up for the end-to-end test: start `ngxlint
-- lsp` for nginx buffers. NGXLINT names the binary under test.
vim.cmd('filetype on')
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'nginx',
  callback = function(args)
    local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h')
    local id = vim.lsp.start_client({
      name = 'ngxlint',
      cmd = { vim.env.NGXLINT, 'lsp' },
      root_dir = root,
    })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})

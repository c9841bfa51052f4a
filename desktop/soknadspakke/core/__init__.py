"""The program's core: project model, project files, findings, i18n and resources.

Nothing in here imports Qt; everything the GUI does goes through these types.
"""

"""Use cases for research administrators, who look after many applications at once.

A *workspace* is a folder of applications, each a folder with its ``.soknad`` file. The modules
here are plain functions over the core (no Qt, no argparse), shared by the CLI and the window:

``locate``      finding the applications of a workspace; names of packages, drafts, zips
``status``      the state of every application at a glance (table, JSON, CSV)
``batch``       validating and building every ready application, in parallel processes
``change``      a change application started from the earlier application of the same project
``email_draft`` a ready-to-send ``.eml`` draft to the agency's address, split when too large
``originals``   a zip of the original files beside the package
``library``     documents from the administrator's library, and template applications
``locks``       who has an application open (shared folders), and stale locks
"""
